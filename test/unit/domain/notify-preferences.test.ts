/** A user's notification preferences with the defaults API.md names for the events they left out. */
import { NOTIFY_EVENTS, notifyPreferencesWithDefaults } from '../../../domain/documents';

test('events left out take the defaults: decisions, messages and payments by email; views and downloads off', () => {
  const defaults = notifyPreferencesWithDefaults({});
  expect(Object.keys(defaults).sort()).toEqual([...NOTIFY_EVENTS].sort());
  for (const event of NOTIFY_EVENTS) expect([event, defaults[event]]).toEqual([event, event === 'viewed' || event === 'downloaded' ? [] : ['email']]);
});

test('a choice, an empty one included, wins over the default', () => {
  const preferences = notifyPreferencesWithDefaults({ viewed: ['sms'], decided: [], message: ['email', 'sms'] });
  expect(preferences).toMatchObject({ viewed: ['sms'], decided: [], message: ['email', 'sms'], paid: ['email'] });
  expect(Object.keys(preferences).sort()).toEqual([...NOTIFY_EVENTS].sort());
});

test('the answer is a copy: changing it changes no default', () => {
  notifyPreferencesWithDefaults({}).paid.push('sms');
  expect(notifyPreferencesWithDefaults({}).paid).toEqual(['email']);
});
