import { safeReturnTo } from '../../libs/identity/src/federation/saml-urls.js';

/**
 * Where a browser goes after sign-in: only a path of this platform. Each input below is a known open-redirect
 * bypass (browsers treat `\` like `/`, drop tabs and newlines, and resolve `.` segments before looking at `//`);
 * every one must give `/`.
 */
describe('safeReturnTo', () => {
  it.each([
    ['//evil.example'],
    ['///evil.example'],
    ['////evil.example'],
    ['/\\evil.example'],
    ['\\/evil.example'],
    ['\\\\evil.example'],
    ['/.//evil.example'],
    ['/./../..//evil.example'],
    ['/a/..//evil.example'],
    ['/%2f%2fevil.example'],
    ['/%2F/evil.example'],
    ['/%5cevil.example'],
    ['/%5C%5Cevil.example'],
    ['/%2e%2e//evil.example'],
    ['/.%2f/evil.example'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    ['/\r\n/evil.example'],
    ['/%09/evil.example'],
    ['/%0a/evil.example'],
    ['/%0d%0a/evil.example'],
    ['/ /evil.example'],
    ['/\u0000/evil.example'],
    ['/\u00a0/evil.example'],
    ['/\u2028/evil.example'],
    ['http://evil.example'],
    ['https://evil.example/'],
    ['HTTPS://evil.example'],
    ['//evil.example@ourhost'],
    ['javascript:alert(1)'],
    ['/javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['evil.example'],
    [' /practices'],
    [''],
  ])('%j gives /', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it('a path longer than 2000 characters gives /', () => {
    expect(safeReturnTo(`/${'a'.repeat(2100)}`)).toBe('/');
  });

  it.each([[undefined], [null], [42], [['/practices']], [{ toString: () => '/practices' }]])('a non-string (%p) gives /', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it.each([
    ['/', '/'],
    ['/practices', '/practices'],
    ['/practices?q=a#x', '/practices?q=a#x'],
    ['/practices?tag=phishing&page=2', '/practices?tag=phishing&page=2'],
    ['/practices/abc-123/revisions', '/practices/abc-123/revisions'],
    ['/search?q=fake%20accounts', '/search?q=fake%20accounts'],
    ['/a/./b/../c', '/a/c'],
  ])('keeps the path %j (as %j)', (value, expected) => {
    expect(safeReturnTo(value)).toBe(expected);
  });
});
