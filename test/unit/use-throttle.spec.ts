import { UseThrottle } from '../../libs/identity/src/auth/use-throttle.js';

/** "Last used" is written at most once a minute per credential, and not once per request that read it stale. */
describe('use throttle', () => {
  const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds));

  it('writes a credential never used, then not again within the minute', () => {
    const throttle = new UseThrottle();
    expect(throttle.due('t', null, at(0))).toBe(true);
    expect(throttle.due('t', null, at(1))).toBe(false); // a request that read the row before the write landed
    expect(throttle.due('t', at(0), at(30))).toBe(false);
    expect(throttle.due('t', at(0), at(61))).toBe(true);
  });

  it('leaves a use recorded less than a minute ago, whichever process recorded it', () => {
    const throttle = new UseThrottle();
    expect(throttle.due('t', at(10), at(40))).toBe(false);
    expect(throttle.due('t', at(10), at(71))).toBe(true);
  });

  it('keeps credentials apart and its memory bounded', () => {
    const throttle = new UseThrottle(60_000, 2);
    expect(throttle.due('a', null, at(0))).toBe(true);
    expect(throttle.due('b', null, at(0))).toBe(true);
    expect(throttle.due('c', null, at(0))).toBe(true); // memory started afresh: at most one more write each
    expect(throttle.due('c', null, at(1))).toBe(false);
  });
});
