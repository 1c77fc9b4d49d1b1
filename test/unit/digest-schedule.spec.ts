import { DigestFrequency, Weekday } from '../../libs/digests/src/subscriptions/digest-subscription.entity.js';
import { currentPeriod, immediateBatchKey, isDue, type DigestSchedule } from '../../libs/digests/src/scheduling/digest-schedule.js';

/**
 * Schedule arithmetic of digests: DAILY and WEEKLY periods begin at a local hour in the subscription's time zone, across
 * daylight-saving changes (2025: Europe/London 30 March and 26 October; America/New_York 9 March and 2 November;
 * Pacific/Auckland 6 April and 28 September), and a subscription is due once per period.
 */

const at = (iso: string) => new Date(iso);

function daily(hour: number, timeZone = 'Europe/London'): DigestSchedule {
  return { frequency: DigestFrequency.DAILY, hour, weekday: null, timeZone };
}

function weekly(weekday: Weekday | null, hour: number, timeZone = 'Europe/London'): DigestSchedule {
  return { frequency: DigestFrequency.WEEKLY, hour, weekday, timeZone };
}

/** The period as plain strings, for readable failures. */
function period(schedule: DigestSchedule, now: string) {
  const result = currentPeriod(schedule, at(now));
  return result && { key: result.key, startsAt: result.startsAt.toISOString() };
}

/** The local date, hour and minute at `instant` in `timeZone`, read independently of the module. */
function localClock(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(instant)
      .map(({ type, value }) => [type, value]),
  );
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, hour: Number(parts['hour']) % 24, minute: Number(parts['minute']) };
}

/**
 * Steps a scheduler through (from, to) every `stepMinutes`, attempting whenever due; returns the instants it sent at. The
 * subscription was last attempted at `from`.
 */
function simulate(schedule: DigestSchedule, from: string, to: string, stepMinutes = 5): string[] {
  const sent: string[] = [];
  let lastAttemptedAt = new Date(from);
  for (let t = Date.parse(from); t < Date.parse(to); t += stepMinutes * 60_000) {
    const now = new Date(t);
    if (isDue(schedule, lastAttemptedAt, now)) {
      sent.push(now.toISOString());
      lastAttemptedAt = now;
    }
  }
  return sent;
}

describe('currentPeriod: DAILY', () => {
  it('07:00 Europe/London is 07:00 UTC in winter', () => {
    expect(period(daily(7), '2025-01-15T12:00:00Z')).toEqual({ key: 'daily:2025-01-15', startsAt: '2025-01-15T07:00:00.000Z' });
  });

  it('07:00 Europe/London is 06:00 UTC in summer', () => {
    expect(period(daily(7), '2025-07-15T12:00:00Z')).toEqual({ key: 'daily:2025-07-15', startsAt: '2025-07-15T06:00:00.000Z' });
  });

  it('just before the hour is still the previous day’s period; at and just after the hour is the new one', () => {
    expect(period(daily(7), '2025-07-15T05:59:59.999Z')).toEqual({ key: 'daily:2025-07-14', startsAt: '2025-07-14T06:00:00.000Z' });
    expect(period(daily(7), '2025-07-15T06:00:00.000Z')).toEqual({ key: 'daily:2025-07-15', startsAt: '2025-07-15T06:00:00.000Z' });
    expect(period(daily(7), '2025-07-15T06:00:00.001Z')).toEqual({ key: 'daily:2025-07-15', startsAt: '2025-07-15T06:00:00.000Z' });
    expect(period(daily(7), '2025-01-15T06:59:59.999Z')).toEqual({ key: 'daily:2025-01-14', startsAt: '2025-01-14T07:00:00.000Z' });
    expect(period(daily(7), '2025-01-15T07:00:00.000Z')).toEqual({ key: 'daily:2025-01-15', startsAt: '2025-01-15T07:00:00.000Z' });
  });

  it('London spring forward (30 March 2025): the 07:00 period after the change is 23 hours after the one before', () => {
    expect(period(daily(7), '2025-03-30T05:59:00Z')).toEqual({ key: 'daily:2025-03-29', startsAt: '2025-03-29T07:00:00.000Z' });
    expect(period(daily(7), '2025-03-30T06:00:00Z')).toEqual({ key: 'daily:2025-03-30', startsAt: '2025-03-30T06:00:00.000Z' });
  });

  it('London spring forward: 01:00 does not exist that day, so hour 1 means 02:00 BST (01:00 UTC)', () => {
    expect(period(daily(1), '2025-03-30T00:59:59Z')).toEqual({ key: 'daily:2025-03-29', startsAt: '2025-03-29T01:00:00.000Z' });
    expect(period(daily(1), '2025-03-30T01:00:00Z')).toEqual({ key: 'daily:2025-03-30', startsAt: '2025-03-30T01:00:00.000Z' });
    expect(period(daily(1), '2025-03-31T12:00:00Z')).toEqual({ key: 'daily:2025-03-31', startsAt: '2025-03-31T00:00:00.000Z' });
    // Hour 2 (02:00 BST) is the same instant that day; hour 0 is still GMT.
    expect(period(daily(2), '2025-03-30T12:00:00Z')).toEqual({ key: 'daily:2025-03-30', startsAt: '2025-03-30T01:00:00.000Z' });
    expect(period(daily(0), '2025-03-30T12:00:00Z')).toEqual({ key: 'daily:2025-03-30', startsAt: '2025-03-30T00:00:00.000Z' });
  });

  it('London fall back (26 October 2025): 01:00–02:00 repeats and the first 01:00 (BST, 00:00 UTC) is taken', () => {
    expect(period(daily(1), '2025-10-25T23:59:59Z')).toEqual({ key: 'daily:2025-10-25', startsAt: '2025-10-25T00:00:00.000Z' });
    expect(period(daily(1), '2025-10-26T00:00:00Z')).toEqual({ key: 'daily:2025-10-26', startsAt: '2025-10-26T00:00:00.000Z' });
    // The second 01:30 (GMT) is in the same period, not a new one.
    expect(period(daily(1), '2025-10-26T01:30:00Z')).toEqual({ key: 'daily:2025-10-26', startsAt: '2025-10-26T00:00:00.000Z' });
    expect(period(daily(1), '2025-10-27T01:00:00Z')).toEqual({ key: 'daily:2025-10-27', startsAt: '2025-10-27T01:00:00.000Z' });
    expect(period(daily(7), '2025-10-26T06:59:59Z')).toEqual({ key: 'daily:2025-10-25', startsAt: '2025-10-25T06:00:00.000Z' });
    expect(period(daily(7), '2025-10-26T07:00:00Z')).toEqual({ key: 'daily:2025-10-26', startsAt: '2025-10-26T07:00:00.000Z' });
    expect(period(daily(2), '2025-10-26T12:00:00Z')).toEqual({ key: 'daily:2025-10-26', startsAt: '2025-10-26T02:00:00.000Z' });
  });

  it('hour 0 and hour 23: the key is the local date, which may differ from the UTC date', () => {
    // Midnight BST on 26 October is 23:00 UTC the day before.
    expect(period(daily(0), '2025-10-25T23:00:00Z')).toEqual({ key: 'daily:2025-10-26', startsAt: '2025-10-25T23:00:00.000Z' });
    expect(period(daily(0), '2025-10-25T22:59:59Z')).toEqual({ key: 'daily:2025-10-25', startsAt: '2025-10-24T23:00:00.000Z' });
    expect(period(daily(23), '2025-07-15T21:59:59Z')).toEqual({ key: 'daily:2025-07-14', startsAt: '2025-07-14T22:00:00.000Z' });
    expect(period(daily(23), '2025-07-15T22:00:00Z')).toEqual({ key: 'daily:2025-07-15', startsAt: '2025-07-15T22:00:00.000Z' });
    // 23:00 in New York (EST) is 04:00 UTC the next day.
    expect(period(daily(23, 'America/New_York'), '2025-01-16T03:59:59Z')).toEqual({ key: 'daily:2025-01-14', startsAt: '2025-01-15T04:00:00.000Z' });
    expect(period(daily(23, 'America/New_York'), '2025-01-16T04:00:00Z')).toEqual({ key: 'daily:2025-01-15', startsAt: '2025-01-16T04:00:00.000Z' });
    expect(period(daily(0, 'UTC'), '2025-01-15T00:00:00Z')).toEqual({ key: 'daily:2025-01-15', startsAt: '2025-01-15T00:00:00.000Z' });
    expect(period(daily(23, 'UTC'), '2025-01-15T22:59:59Z')).toEqual({ key: 'daily:2025-01-14', startsAt: '2025-01-14T23:00:00.000Z' });
  });

  it('America/New_York: the skipped 02:00 (9 March) is 03:00 EDT; the repeated 01:00 (2 November) is the EDT one', () => {
    expect(period(daily(9, 'America/New_York'), '2025-03-08T20:00:00Z')).toEqual({ key: 'daily:2025-03-08', startsAt: '2025-03-08T14:00:00.000Z' });
    expect(period(daily(9, 'America/New_York'), '2025-03-09T20:00:00Z')).toEqual({ key: 'daily:2025-03-09', startsAt: '2025-03-09T13:00:00.000Z' });
    expect(period(daily(2, 'America/New_York'), '2025-03-09T06:59:59Z')).toEqual({ key: 'daily:2025-03-08', startsAt: '2025-03-08T07:00:00.000Z' });
    expect(period(daily(2, 'America/New_York'), '2025-03-09T07:00:00Z')).toEqual({ key: 'daily:2025-03-09', startsAt: '2025-03-09T07:00:00.000Z' });
    expect(period(daily(1, 'America/New_York'), '2025-11-02T05:00:00Z')).toEqual({ key: 'daily:2025-11-02', startsAt: '2025-11-02T05:00:00.000Z' });
    expect(period(daily(1, 'America/New_York'), '2025-11-02T06:30:00Z')).toEqual({ key: 'daily:2025-11-02', startsAt: '2025-11-02T05:00:00.000Z' });
  });

  it('Asia/Kolkata (+05:30): 07:00 local is 01:30 UTC, midnight local is 18:30 UTC the day before', () => {
    expect(period(daily(7, 'Asia/Kolkata'), '2025-06-10T01:29:59Z')).toEqual({ key: 'daily:2025-06-09', startsAt: '2025-06-09T01:30:00.000Z' });
    expect(period(daily(7, 'Asia/Kolkata'), '2025-06-10T01:30:00Z')).toEqual({ key: 'daily:2025-06-10', startsAt: '2025-06-10T01:30:00.000Z' });
    expect(period(daily(0, 'Asia/Kolkata'), '2025-06-09T18:30:00Z')).toEqual({ key: 'daily:2025-06-10', startsAt: '2025-06-09T18:30:00.000Z' });
    expect(period(daily(23, 'Asia/Kolkata'), '2025-06-10T17:29:59Z')).toEqual({ key: 'daily:2025-06-09', startsAt: '2025-06-09T17:30:00.000Z' });
  });

  it('Pacific/Auckland: keys are the local date, a day ahead of UTC; both changes of offset', () => {
    // 07:00 NZDT (+13) on 15 January is 18:00 UTC on the 14th.
    expect(period(daily(7, 'Pacific/Auckland'), '2025-01-14T20:00:00Z')).toEqual({ key: 'daily:2025-01-15', startsAt: '2025-01-14T18:00:00.000Z' });
    expect(period(daily(7, 'Pacific/Auckland'), '2025-01-14T17:59:59Z')).toEqual({ key: 'daily:2025-01-14', startsAt: '2025-01-13T18:00:00.000Z' });
    // NZST (+12) in July.
    expect(period(daily(7, 'Pacific/Auckland'), '2025-07-14T19:00:00Z')).toEqual({ key: 'daily:2025-07-15', startsAt: '2025-07-14T19:00:00.000Z' });
    // 6 April: 02:00–03:00 repeats; the first 02:00 is NZDT.
    expect(period(daily(2, 'Pacific/Auckland'), '2025-04-05T14:30:00Z')).toEqual({ key: 'daily:2025-04-06', startsAt: '2025-04-05T13:00:00.000Z' });
    // 28 September: 02:00–03:00 is skipped; hour 2 is 03:00 NZDT.
    expect(period(daily(2, 'Pacific/Auckland'), '2025-09-27T13:59:59Z')).toEqual({ key: 'daily:2025-09-27', startsAt: '2025-09-26T14:00:00.000Z' });
    expect(period(daily(2, 'Pacific/Auckland'), '2025-09-27T14:00:00Z')).toEqual({ key: 'daily:2025-09-28', startsAt: '2025-09-27T14:00:00.000Z' });
  });

  it('invariants over many instants, zones and hours: the period started at or before now, at the local hour on its key’s date', () => {
    const zones = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland', 'UTC'];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const start = Date.parse('2024-01-01T00:00:00Z');
    const span = Date.parse('2026-12-31T00:00:00Z') - start;
    for (let i = 0; i < 2000; i += 1) {
      const timeZone = zones[i % zones.length]!;
      const hour = Math.floor(random() * 24);
      const now = new Date(start + Math.floor(random() * span));
      const result = currentPeriod(daily(hour, timeZone), now)!;
      const { startsAt, key } = result;
      expect(startsAt.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(now.getTime() - startsAt.getTime()).toBeLessThan(25 * 3_600_000);
      const local = localClock(startsAt, timeZone);
      expect(`daily:${local.date}`).toBe(key);
      expect(local.minute).toBe(0);
      // The local hour, or the hour after it where that hour was skipped.
      expect([hour, hour + 1]).toContain(local.hour);
      // The period begins exactly at startsAt: a moment earlier is the previous one.
      expect(currentPeriod(daily(hour, timeZone), startsAt)).toEqual(result);
      expect(currentPeriod(daily(hour, timeZone), new Date(startsAt.getTime() - 1))!.key).not.toBe(key);
    }
  });
});

describe('currentPeriod: WEEKLY', () => {
  // 13 January 2025 is a Monday.
  it('the most recent chosen weekday at the hour, keyed by its local date', () => {
    expect(period(weekly(Weekday.MONDAY, 7), '2025-01-15T12:00:00Z')).toEqual({ key: 'weekly:2025-01-13', startsAt: '2025-01-13T07:00:00.000Z' });
    expect(period(weekly(Weekday.MONDAY, 7), '2025-01-13T07:00:00Z')).toEqual({ key: 'weekly:2025-01-13', startsAt: '2025-01-13T07:00:00.000Z' });
    expect(period(weekly(Weekday.MONDAY, 7), '2025-01-13T06:59:59Z')).toEqual({ key: 'weekly:2025-01-06', startsAt: '2025-01-06T07:00:00.000Z' });
    expect(period(weekly(Weekday.WEDNESDAY, 9), '2025-01-15T09:00:00Z')).toEqual({ key: 'weekly:2025-01-15', startsAt: '2025-01-15T09:00:00.000Z' });
  });

  it('across the week boundary: Sunday evening and the Monday after it', () => {
    expect(period(weekly(Weekday.SUNDAY, 20), '2025-01-12T19:59:59Z')).toEqual({ key: 'weekly:2025-01-05', startsAt: '2025-01-05T20:00:00.000Z' });
    expect(period(weekly(Weekday.SUNDAY, 20), '2025-01-12T20:00:00Z')).toEqual({ key: 'weekly:2025-01-12', startsAt: '2025-01-12T20:00:00.000Z' });
    expect(period(weekly(Weekday.SUNDAY, 20), '2025-01-13T08:00:00Z')).toEqual({ key: 'weekly:2025-01-12', startsAt: '2025-01-12T20:00:00.000Z' });
    expect(period(weekly(Weekday.SATURDAY, 23), '2025-01-12T23:30:00Z')).toEqual({ key: 'weekly:2025-01-11', startsAt: '2025-01-11T23:00:00.000Z' });
  });

  it('across a year boundary and a month boundary (with the spring change in between)', () => {
    // Friday 27 December 2024, seen on Thursday 2 January 2025.
    expect(period(weekly(Weekday.FRIDAY, 7), '2025-01-02T12:00:00Z')).toEqual({ key: 'weekly:2024-12-27', startsAt: '2024-12-27T07:00:00.000Z' });
    expect(period(weekly(Weekday.FRIDAY, 7), '2025-01-03T07:00:00Z')).toEqual({ key: 'weekly:2025-01-03', startsAt: '2025-01-03T07:00:00.000Z' });
    // Monday 31 March 2025 (BST since the 30th), seen on 2 April; the Monday before was GMT.
    expect(period(weekly(Weekday.MONDAY, 7), '2025-04-02T12:00:00Z')).toEqual({ key: 'weekly:2025-03-31', startsAt: '2025-03-31T06:00:00.000Z' });
    expect(period(weekly(Weekday.MONDAY, 7), '2025-03-31T05:59:59Z')).toEqual({ key: 'weekly:2025-03-24', startsAt: '2025-03-24T07:00:00.000Z' });
  });

  it('in Pacific/Auckland the local Monday begins on the UTC Sunday', () => {
    // Monday 13 January 07:00 NZDT is Sunday 12 January 18:00 UTC.
    expect(period(weekly(Weekday.MONDAY, 7, 'Pacific/Auckland'), '2025-01-12T18:00:00Z')).toEqual({
      key: 'weekly:2025-01-13',
      startsAt: '2025-01-12T18:00:00.000Z',
    });
    expect(period(weekly(Weekday.MONDAY, 7, 'Pacific/Auckland'), '2025-01-12T17:59:59Z')).toEqual({
      key: 'weekly:2025-01-06',
      startsAt: '2025-01-05T18:00:00.000Z',
    });
    // In America/New_York the local Sunday 23:00 is the UTC Monday.
    expect(period(weekly(Weekday.SUNDAY, 23, 'America/New_York'), '2025-01-13T04:00:00Z')).toEqual({
      key: 'weekly:2025-01-12',
      startsAt: '2025-01-13T04:00:00.000Z',
    });
  });

  it('Kolkata half-hour offset on a weekly schedule', () => {
    expect(period(weekly(Weekday.MONDAY, 0, 'Asia/Kolkata'), '2025-01-12T18:30:00Z')).toEqual({
      key: 'weekly:2025-01-13',
      startsAt: '2025-01-12T18:30:00.000Z',
    });
    expect(period(weekly(Weekday.MONDAY, 0, 'Asia/Kolkata'), '2025-01-12T18:29:59Z')).toEqual({
      key: 'weekly:2025-01-06',
      startsAt: '2025-01-05T18:30:00.000Z',
    });
  });

  it('a missing weekday means Monday, as the subscription service defaults it', () => {
    expect(period(weekly(null, 7), '2025-01-15T12:00:00Z')).toEqual({ key: 'weekly:2025-01-13', startsAt: '2025-01-13T07:00:00.000Z' });
  });
});

describe('currentPeriod: IMMEDIATE and bad input', () => {
  it('IMMEDIATE has no clock period', () => {
    expect(currentPeriod({ frequency: DigestFrequency.IMMEDIATE, hour: 7, weekday: null, timeZone: 'Europe/London' }, at('2025-01-15T12:00:00Z'))).toBeNull();
  });

  it('refuses an hour outside 0–23, an unknown zone and an invalid date', () => {
    expect(() => currentPeriod(daily(24), at('2025-01-15T12:00:00Z'))).toThrow(RangeError);
    expect(() => currentPeriod(daily(-1), at('2025-01-15T12:00:00Z'))).toThrow(RangeError);
    expect(() => currentPeriod(daily(7.5), at('2025-01-15T12:00:00Z'))).toThrow(RangeError);
    expect(() => currentPeriod(daily(7, 'Mars/Olympus_Mons'), at('2025-01-15T12:00:00Z'))).toThrow(RangeError);
    expect(() => currentPeriod(daily(7), new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('isDue', () => {
  const schedule = daily(7);

  it('never attempted: due once the period has begun', () => {
    expect(isDue(schedule, null, at('2025-01-15T07:00:00Z'))).toBe(true);
    expect(isDue(schedule, null, at('2025-01-15T06:59:59Z'))).toBe(true); // yesterday's period, never sent
  });

  it('true once per period, false again after an attempt inside it, true in the next period', () => {
    expect(isDue(schedule, at('2025-01-14T07:00:05Z'), at('2025-01-15T06:59:59Z'))).toBe(false);
    expect(isDue(schedule, at('2025-01-14T07:00:05Z'), at('2025-01-15T07:00:00Z'))).toBe(true);
    const attempted = at('2025-01-15T07:00:00Z');
    expect(isDue(schedule, attempted, at('2025-01-15T07:00:00Z'))).toBe(false); // attempted exactly at the start
    expect(isDue(schedule, attempted, at('2025-01-15T18:00:00Z'))).toBe(false);
    expect(isDue(schedule, attempted, at('2025-01-16T06:59:59Z'))).toBe(false);
    expect(isDue(schedule, attempted, at('2025-01-16T07:00:00Z'))).toBe(true);
  });

  it('an attempt before the period began (a late scheduler) leaves it due', () => {
    expect(isDue(schedule, at('2025-01-13T07:00:00Z'), at('2025-01-15T12:00:00Z'))).toBe(true);
  });

  it('a scheduler stepping through London’s spring change sends once a day, at the local hour', () => {
    expect(simulate(daily(7), '2025-03-28T12:00:00Z', '2025-04-01T12:00:00Z')).toEqual([
      '2025-03-29T07:00:00.000Z',
      '2025-03-30T06:00:00.000Z',
      '2025-03-31T06:00:00.000Z',
      '2025-04-01T06:00:00.000Z',
    ]);
    expect(simulate(daily(1), '2025-03-28T12:00:00Z', '2025-04-01T00:00:00Z')).toEqual([
      '2025-03-29T01:00:00.000Z',
      '2025-03-30T01:00:00.000Z',
      '2025-03-31T00:00:00.000Z',
    ]);
  });

  it('a scheduler stepping through London’s autumn change sends the repeated hour once', () => {
    expect(simulate(daily(1), '2025-10-24T12:00:00Z', '2025-10-28T00:00:00Z')).toEqual([
      '2025-10-25T00:00:00.000Z',
      '2025-10-26T00:00:00.000Z',
      '2025-10-27T01:00:00.000Z',
    ]);
  });

  it('weekly: once a week across the new year', () => {
    expect(simulate(weekly(Weekday.FRIDAY, 7), '2024-12-21T00:00:00Z', '2025-01-11T00:00:00Z', 15)).toEqual([
      '2024-12-27T07:00:00.000Z',
      '2025-01-03T07:00:00.000Z',
      '2025-01-10T07:00:00.000Z',
    ]);
  });

  it('IMMEDIATE is never due by the clock', () => {
    expect(isDue({ frequency: DigestFrequency.IMMEDIATE, hour: 7, weekday: null, timeZone: 'UTC' }, null, at('2025-01-15T12:00:00Z'))).toBe(false);
  });
});

describe('immediateBatchKey', () => {
  it('keys the batch by the first match to the second and sends it the delay later', () => {
    const batch = immediateBatchKey(at('2025-03-30T01:00:05.678Z'), 120);
    expect(batch.key).toBe('immediate:2025-03-30T01:00:05Z');
    expect(batch.sendAt.toISOString()).toBe('2025-03-30T01:02:05.678Z');
  });

  it('matches within the same second share a key; the next second is another batch', () => {
    expect(immediateBatchKey(at('2025-03-30T01:00:05.000Z'), 120).key).toBe(immediateBatchKey(at('2025-03-30T01:00:05.999Z'), 120).key);
    expect(immediateBatchKey(at('2025-03-30T01:00:06.000Z'), 120).key).toBe('immediate:2025-03-30T01:00:06Z');
  });

  it('a zero delay sends at once; a negative or non-finite delay and an invalid date are refused', () => {
    expect(immediateBatchKey(at('2025-01-15T12:00:00Z'), 0).sendAt.toISOString()).toBe('2025-01-15T12:00:00.000Z');
    expect(() => immediateBatchKey(at('2025-01-15T12:00:00Z'), -1)).toThrow(RangeError);
    expect(() => immediateBatchKey(at('2025-01-15T12:00:00Z'), Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => immediateBatchKey(new Date(Number.NaN), 120)).toThrow(RangeError);
  });
});
