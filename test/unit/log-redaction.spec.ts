import { loggableUrl, requestIdFrom, requestIdOfJob } from '#config';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('loggableUrl', () => {
  it.each([
    ['/feeds/subscriptions/abc123def.atom', '/feeds/subscriptions/[redacted]'],
    ['/FEEDS//Subscriptions/abc123def.atom?x=1', '/FEEDS//Subscriptions/[redacted]?x=1'],
    ['/unsubscribe/v1.abc.def', '/unsubscribe/[redacted]'],
    ['//unsubscribe/v1.abc.def/', '//unsubscribe/[redacted]/'],
    [
      '/auth/saml/kent/slo?SAMLRequest=fZJd&RelayState=r1&SigAlg=rsa-sha256&Signature=c2ln',
      '/auth/saml/kent/slo?SAMLRequest=[redacted]&RelayState=[redacted]&SigAlg=rsa-sha256&Signature=[redacted]',
    ],
    ['/demo-idp/sso?samlrequest=x&relaystate=y', '/demo-idp/sso?samlrequest=[redacted]&relaystate=[redacted]'],
    ['/x?SAML%52esponse=abc&token=t&page=2', '/x?SAML%52esponse=[redacted]&token=[redacted]&page=2'],
    ['/practices?query=phishing&after=abc', '/practices?query=phishing&after=abc'],
    ['/feeds/practices.atom', '/feeds/practices.atom'],
  ])('%s is logged as %s', (url, logged) => {
    expect(loggableUrl(url)).toBe(logged);
  });
});

describe('request ids', () => {
  it('keeps a sane X-Request-Id and replaces anything else with a new UUID', () => {
    expect(requestIdFrom('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(requestIdFrom('a'.repeat(64))).toBe('a'.repeat(64));
    for (const bad of [undefined, '', 'a'.repeat(65), 'two words', 'a,b', '<b>', 'line\nbreak', ['a', 'b'], 42]) expect(requestIdFrom(bad)).toMatch(UUID);
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });

  it("reads a job's request id only when it is one", () => {
    expect(requestIdOfJob({ practiceId: 'p', requestId: 'req-1' })).toBe('req-1');
    for (const data of [{}, null, 'req-1', { requestId: 42 }, { requestId: 'has space' }]) expect(requestIdOfJob(data)).toBeUndefined();
  });
});
