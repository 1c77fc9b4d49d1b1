import { randomUUID } from 'node:crypto';
import { hashSecret, mintToken, parseToken, secretMatches, tokenIdOf } from '../../libs/identity/src/api-tokens/token-format.js';

/** `pe_<id>_<secret>`: found by id, the secret compared by SHA-256; only the hash is stored. */
describe('token format', () => {
  it('mint → parse gives back the row id and a secret whose hash is what is stored', () => {
    const id = randomUUID();
    const { token, secretHash } = mintToken(id);
    expect(token).toMatch(/^pe_[0-9a-f]{32}_[0-9a-f]{64}$/);
    const parsed = parseToken(token);
    expect(parsed).not.toBeNull();
    expect(parsed!.id).toBe(id);
    expect(secretHash).toHaveLength(32);
    expect(secretHash.equals(hashSecret(parsed!.secret))).toBe(true);
    expect(secretMatches(parsed!.secret, secretHash)).toBe(true);
  });

  it('stores nothing that reveals the secret', () => {
    const { token, secretHash } = mintToken(randomUUID());
    const secret = parseToken(token)!.secret;
    expect(secretHash.toString('hex')).not.toContain(secret);
    expect(secretHash.equals(Buffer.from(secret, 'hex'))).toBe(false);
  });

  it('mints a different secret every time, even for the same id', () => {
    const id = randomUUID();
    const a = mintToken(id);
    const b = mintToken(id);
    expect(a.token).not.toBe(b.token);
    expect(a.secretHash.equals(b.secretHash)).toBe(false);
  });

  const good = mintToken(randomUUID()).token;
  it.each([
    ['empty', ''],
    ['no prefix', good.slice(3)],
    ['another prefix', `pk${good.slice(2)}`],
    ['short secret', good.slice(0, -1)],
    ['long secret', `${good}0`],
    ['upper-case hex', good.toUpperCase().replace('PE_', 'pe_')],
    ['non-hex secret', `${good.slice(0, -1)}g`],
    ['dashed id', `pe_${'0'.repeat(8)}-${'0'.repeat(23)}_${'a'.repeat(64)}`],
    ['surrounding space', ` ${good} `],
    ['trailing newline', `${good}\n`],
    ['a Bearer header', `Bearer ${good}`],
    ['SQL', "pe_' OR 1=1 --"],
  ])('refuses a malformed token (%s)', (_name, token) => {
    expect(parseToken(token)).toBeNull();
  });

  it('secretMatches is false for another secret, a tampered one, or a wrongly sized hash', () => {
    const { token, secretHash } = mintToken(randomUUID());
    const secret = parseToken(token)!.secret;
    const other = parseToken(mintToken(randomUUID()).token)!.secret;
    expect(secretMatches(other, secretHash)).toBe(false);
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}`;
    expect(secretMatches(flipped, secretHash)).toBe(false);
    expect(secretMatches(secret, secretHash.subarray(0, 16))).toBe(false);
    expect(secretMatches(secret, Buffer.alloc(0))).toBe(false);
    expect(secretMatches('', secretHash)).toBe(false);
  });

  it('tokenIdOf: the row id from the id (with or without hyphens, any case), the token, or its pe_<id> prefix; null otherwise', () => {
    const id = randomUUID();
    const { token } = mintToken(id);
    const hex = id.replace(/-/g, '');
    for (const form of [id, id.toUpperCase(), hex, ` ${hex} `, token, `pe_${hex}`]) expect(tokenIdOf(form)).toBe(id);
    for (const bad of ['', 'not-a-token', hex.slice(1), `ps_${hex}`, `${token}x`, `pe_${hex}_short`, `${id}-0`]) expect(tokenIdOf(bad)).toBeNull();
  });
});
