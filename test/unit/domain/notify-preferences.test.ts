/** A user's notification preferences with the defaults API.md names for the events they left out. */
import { NOTIFY_EVENTS, notifyPreferencesWithDefaults } from '../../../domain/documents';

test('events left out take the defaults: decisions, messages and payments by email; views and downloads off', () => {
  expect(notifyPreferencesWithDefaults({})).toEqual({
    viewed: [],
    downloaded: [],
    decided: ['email'],
    signed: ['email'],
    paid: ['email'],
    message: ['email'],
    payment_failed: ['email'],
  });
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
