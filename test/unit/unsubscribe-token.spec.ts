import { randomUUID } from 'node:crypto';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../libs/digests/src/email/unsubscribe-token.js';

/** Unsubscribe links work without signing in, so the token alone must prove which subscription it is for. */
describe('unsubscribe token', () => {
  const secret = 'a-test-app-secret-of-at-least-32-characters';

  it('round trip: verifies to the subscription it was signed for', () => {
    const id = randomUUID();
    const token = signUnsubscribeToken(id, secret);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyUnsubscribeToken(token, secret)).toBe(id);
    expect(signUnsubscribeToken(id, secret)).toBe(token);
  });

  it("never verifies for another subscription: another id with this token's MAC fails", () => {
    const mine = randomUUID();
    const theirs = randomUUID();
    const token = signUnsubscribeToken(mine, secret);
    expect(verifyUnsubscribeToken(token, secret)).not.toBe(theirs);
    const mac = token.split('.')[1];
    const forged = `${Buffer.from(theirs).toString('base64url')}.${mac}`;
    expect(verifyUnsubscribeToken(forged, secret)).toBeNull();
    expect(signUnsubscribeToken(theirs, secret)).not.toBe(token);
  });

  it('a tampered token fails', () => {
    const token = signUnsubscribeToken(randomUUID(), secret);
    const [id, mac] = token.split('.') as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    expect(verifyUnsubscribeToken(`${flip(id, 3)}.${mac}`, secret)).toBeNull();
    expect(verifyUnsubscribeToken(`${id}.${flip(mac, 5)}`, secret)).toBeNull();
    expect(verifyUnsubscribeToken(`${id}.${mac.slice(0, -2)}`, secret)).toBeNull();
    expect(verifyUnsubscribeToken(`${id}.${mac}A`, secret)).toBeNull();
    expect(verifyUnsubscribeToken(`${id}.${mac}.x`, secret)).toBeNull();
  });

  it('a token signed with another secret fails', () => {
    const id = randomUUID();
    const token = signUnsubscribeToken(id, 'another-app-secret-of-at-least-32-characters');
    expect(verifyUnsubscribeToken(token, secret)).toBeNull();
  });

  it('is not a bare HMAC of the id under APP_SECRET: the key is derived for this purpose', async () => {
    const { createHmac } = await import('node:crypto');
    const id = randomUUID();
    const bare = createHmac('sha256', secret).update(id).digest('base64url');
    expect(signUnsubscribeToken(id, secret).split('.')[1]).not.toBe(bare);
  });

  it.each([
    ['empty', ''],
    ['no dot', 'abcdef'],
    ['only a dot', '.'],
    ['not base64url', 'ab+c/.d==='],
    ['padding', `${Buffer.from('x').toString('base64')}.${'A'.repeat(43)}`],
    ['very long', `${'A'.repeat(10_000)}.${'A'.repeat(43)}`],
    ['unicode', 'ünïcødé.✓'],
    ['path traversal', '../../etc/passwd'],
  ])('garbage (%s) → null', (_name, token) => {
    expect(verifyUnsubscribeToken(token, secret)).toBeNull();
  });

  it('non-string input → null', () => {
    expect(verifyUnsubscribeToken(undefined as unknown as string, secret)).toBeNull();
    expect(verifyUnsubscribeToken(42 as unknown as string, secret)).toBeNull();
  });
});
