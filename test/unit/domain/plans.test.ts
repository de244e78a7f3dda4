/** Period arithmetic of subscription plans: calendar months and years in UTC, counted from the start; ISO durations as fixed lengths. */
import { isPlanPeriod, periodEnd, periodStart, planStart } from '../../../domain/plans';

const at = (iso: string) => Date.parse(iso);

describe('plan periods', () => {
  it('counts monthly periods from the start, keeping the day or the month’s last day', () => {
    const start = at('2026-01-31T10:00:00Z');
    expect([0, 1, 2, 3].map((n) => new Date(periodStart(start, 'monthly', n)).toISOString())).toEqual([
      '2026-01-31T10:00:00.000Z',
      '2026-02-28T10:00:00.000Z',
      '2026-03-31T10:00:00.000Z',
      '2026-04-30T10:00:00.000Z',
    ]);
    expect(new Date(periodEnd(start, 'monthly', 11)).toISOString()).toBe('2027-01-31T10:00:00.000Z');
  });

  it('counts yearly periods in calendar years, 29 February falling back to the 28th', () => {
    const start = at('2028-02-29T00:00:00Z');
    expect(new Date(periodStart(start, 'yearly', 1)).toISOString()).toBe('2029-02-28T00:00:00.000Z');
    expect(new Date(periodStart(start, 'yearly', 4)).toISOString()).toBe('2032-02-29T00:00:00.000Z');
  });

  it('takes an ISO 8601 duration as a fixed length (seconds in tests)', () => {
    expect(periodStart(1_000, 'PT5S', 3)).toBe(16_000);
    expect(periodEnd(1_000, 'P1D', 0)).toBe(1_000 + 86_400_000);
  });

  it('refuses what is not a period or a period number', () => {
    expect(isPlanPeriod('monthly')).toBe(true);
    expect(isPlanPeriod('PT5S')).toBe(true);
    expect(isPlanPeriod('weekly')).toBe(false);
    expect(isPlanPeriod('PT0S')).toBe(false);
    expect(() => periodStart(0, 'monthly', -1)).toThrow(RangeError);
    expect(() => periodStart(0, 'monthly', 1.5)).toThrow(RangeError);
  });

  it('starts at startsAt when ahead, else now', () => {
    const now = at('2026-11-23T00:00:00Z');
    expect(planStart({}, now)).toBe(now);
    expect(planStart({ startsAt: '2026-12-01' }, now)).toBe(at('2026-12-01T00:00:00Z'));
    expect(planStart({ startsAt: '2026-01-01' }, now)).toBe(now);
    expect(() => planStart({ startsAt: 'soon' }, now)).toThrow(RangeError);
  });
});
