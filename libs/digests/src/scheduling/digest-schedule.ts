import { DigestFrequency, Weekday } from '../subscriptions/digest-subscription.entity.js';

/**
 * The schedule arithmetic of digest subscriptions, with no I/O: which period a DAILY or WEEKLY subscription is in, whether
 * it is due, and how IMMEDIATE matches are batched.
 *
 * Local wall-clock times are turned into instants with `Intl` alone. Across a daylight-saving change a local time may not
 * exist (spring: Europe/London skips 01:00–02:00, so hour 1 that day means 02:00 BST, the instant the gap ends) or occur
 * twice (autumn: 01:00–02:00 repeats, and the first occurrence is taken).
 */

/** What the scheduler needs of a subscription. */
export interface DigestSchedule {
  frequency: DigestFrequency;
  /** Local hour, 0–23, in `timeZone`. */
  hour: number;
  /** Day of WEEKLY digests; MONDAY when missing, as the subscription service defaults it. */
  weekday: Weekday | null;
  /** IANA time zone name. */
  timeZone: string;
}

/** One scheduled period: a stable key (the local date it began on) and the instant it began. */
export interface DigestPeriod {
  key: string;
  startsAt: Date;
}

/** One IMMEDIATE batch: keyed by its first match, sent a fixed delay after it. */
export interface ImmediateBatch {
  key: string;
  sendAt: Date;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** No zone is further than this from UTC (Pacific/Kiritimati is +14:00, Etc/GMT+12 is −12:00). */
const MAX_AHEAD_MS = 14 * HOUR_MS;
const MAX_BEHIND_MS = 12 * HOUR_MS;

/** Sunday first, as `Date#getUTCDay` counts. */
const WEEKDAY_INDEX: Record<Weekday, number> = {
  [Weekday.SUNDAY]: 0,
  [Weekday.MONDAY]: 1,
  [Weekday.TUESDAY]: 2,
  [Weekday.WEDNESDAY]: 3,
  [Weekday.THURSDAY]: 4,
  [Weekday.FRIDAY]: 5,
  [Weekday.SATURDAY]: 6,
};

/** A calendar date, no zone. */
interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws a RangeError for a name that is not an IANA time zone.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock in `timeZone` at `instant`, written as if it were a UTC time (milliseconds since the epoch). */
function wallClockAt(instant: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const { type, value } of formatterFor(timeZone).formatToParts(instant)) parts[type] = value;
  const year = Number(parts['year']);
  const hour = Number(parts['hour']) % 24; // some engines write midnight as 24 even with h23
  const wall = Date.UTC(year, Number(parts['month']) - 1, Number(parts['day']), hour, Number(parts['minute']), Number(parts['second']));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const date = new Date(wall);
  date.setUTCFullYear(year);
  return date.getTime() + (((instant % 1000) + 1000) % 1000);
}

/** The zone's offset from UTC at `instant`, in milliseconds (positive east of Greenwich). */
function offsetAt(instant: number, timeZone: string): number {
  return wallClockAt(instant, timeZone) - instant;
}

/**
 * The instant at which the wall clock in `timeZone` reads `wall` (a local time written as UTC milliseconds). A time that
 * occurs twice gives its first occurrence; a time skipped by a change of offset gives the instant the clock moves past
 * it, read with the offset before the change (Europe/London 01:30 on the spring day gives 01:30 UTC = 02:30 BST).
 */
function instantOfWallClock(wall: number, timeZone: string): number {
  // Any instant showing `wall` lies in [wall − 14 h, wall + 12 h]; the offsets at both ends are those either side of
  // the one change of offset that can fall inside that window.
  const before = offsetAt(wall - MAX_AHEAD_MS, timeZone);
  const after = offsetAt(wall + MAX_BEHIND_MS, timeZone);
  const matches = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => wallClockAt(instant, timeZone) === wall)
    .sort((a, b) => a - b);
  if (matches.length > 0) return matches[0]!;
  // In a gap: move forward by its length, which is what reading the time with the earlier offset does.
  return wall - before;
}

/** The local calendar date in `timeZone` at `instant`. */
function localDateAt(instant: number, timeZone: string): LocalDate {
  const wall = new Date(wallClockAt(instant, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** The date `days` after (or before) `date`. */
function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(dateAsUtc(date, 0) + days * DAY_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** `date` at `hour`:00 as UTC milliseconds (the wall-clock reading, not an instant). */
function dateAsUtc(date: LocalDate, hour: number): number {
  const utc = new Date(0);
  utc.setUTCFullYear(date.year, date.month - 1, date.day);
  utc.setUTCHours(hour, 0, 0, 0);
  return utc.getTime();
}

/** 0 (Sunday) to 6 (Saturday). */
function dayOfWeek(date: LocalDate): number {
  return new Date(dateAsUtc(date, 0)).getUTCDay();
}

/** `YYYY-MM-DD`. */
function isoDate(date: LocalDate): string {
  const year =
    date.year >= 0 && date.year <= 9999 ? String(date.year).padStart(4, '0') : (date.year < 0 ? '-' : '+') + String(Math.abs(date.year)).padStart(6, '0');
  return `${year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

function checkedInstant(value: Date, name: string): number {
  const time = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new RangeError(`${name} is not a valid date`);
  return time;
}

function checkedHour(hour: number): number {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour must be an integer from 0 to 23, not ${String(hour)}`);
  return hour;
}

/**
 * The period `now` falls in. DAILY: from the most recent local `hour`:00 in `timeZone` at or before `now`, keyed
 * `daily:YYYY-MM-DD` by its local date. WEEKLY: from the most recent local `weekday` at `hour`:00, keyed
 * `weekly:YYYY-MM-DD`. IMMEDIATE has no clock period (its batches are keyed by their first match): `null`.
 */
export function currentPeriod(schedule: DigestSchedule, now: Date): DigestPeriod | null {
  const at = checkedInstant(now, 'now');
  if (schedule.frequency === DigestFrequency.IMMEDIATE) return null;
  if (schedule.frequency !== DigestFrequency.DAILY && schedule.frequency !== DigestFrequency.WEEKLY) {
    throw new RangeError(`unknown digest frequency ${String(schedule.frequency)}`);
  }
  const hour = checkedHour(schedule.hour);
  const { timeZone } = schedule;
  const today = localDateAt(at, timeZone);

  let daysBack = 0;
  let step = 1;
  let prefix = 'daily';
  if (schedule.frequency === DigestFrequency.WEEKLY) {
    const weekday = schedule.weekday ?? Weekday.MONDAY;
    const target = WEEKDAY_INDEX[weekday];
    if (target === undefined) throw new RangeError(`unknown weekday ${String(weekday)}`);
    daysBack = (dayOfWeek(today) - target + 7) % 7;
    step = 7;
    prefix = 'weekly';
  }

  let date = addDays(today, -daysBack);
  let startsAt = instantOfWallClock(dateAsUtc(date, hour), timeZone);
  if (startsAt > at) {
    date = addDays(date, -step);
    startsAt = instantOfWallClock(dateAsUtc(date, hour), timeZone);
  }
  return { key: `${prefix}:${isoDate(date)}`, startsAt: new Date(startsAt) };
}

/**
 * Whether a DAILY or WEEKLY subscription should be sent now: its current period began after its last attempt (or it has
 * never been attempted). Once per period; IMMEDIATE subscriptions go by their batches and are never due by the clock.
 */
export function isDue(schedule: DigestSchedule, lastAttemptedAt: Date | null, now: Date): boolean {
  return isDueIn(currentPeriod(schedule, now), lastAttemptedAt, now);
}

/** {@link isDue} for a period already worked out (the scheduler shares one among subscriptions of one schedule). */
export function isDueIn(period: DigestPeriod | null, lastAttemptedAt: Date | null, now: Date): boolean {
  if (!period) return false;
  if (lastAttemptedAt === null) return period.startsAt.getTime() <= now.getTime();
  return period.startsAt.getTime() > checkedInstant(lastAttemptedAt, 'lastAttemptedAt');
}

/**
 * The IMMEDIATE batch a first new match opens: keyed `immediate:<its publication time, to the second, in UTC>` and sent
 * `delaySeconds` after it, so every match published before then joins the same digest.
 */
export function immediateBatchKey(firstMatchPublishedAt: Date, delaySeconds: number): ImmediateBatch {
  const at = checkedInstant(firstMatchPublishedAt, 'firstMatchPublishedAt');
  if (!Number.isFinite(delaySeconds) || delaySeconds < 0) throw new RangeError(`delaySeconds must be a non-negative number, not ${String(delaySeconds)}`);
  const second = new Date(Math.floor(at / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { key: `immediate:${second}`, sendAt: new Date(at + Math.round(delaySeconds * 1000)) };
}
