import { Actor, PUBLIC_VIEWER, Role, TokenScope, commonViewer, viewerCovers, viewerOf } from '#identity';

/** The one derivation of a viewer from a member and token scopes, which requests and digests share. */
describe('viewerOf', () => {
  const member = { id: 'm', organisationId: 'o' };
  const asMember = { memberId: 'm', organisationId: 'o' };

  it('a session (scopes null) and every token with read read as the member', () => {
    expect(viewerOf(member, null)).toEqual(asMember);
    expect(viewerOf(member, [TokenScope.READ])).toEqual(asMember);
    expect(viewerOf(member, [TokenScope.WRITE, TokenScope.READ, TokenScope.ADMIN])).toEqual(asMember);
  });

  it('a token without read reads as the public, whatever else it holds', () => {
    expect(viewerOf(member, [TokenScope.WRITE])).toEqual(PUBLIC_VIEWER);
    expect(viewerOf(member, [TokenScope.WRITE, TokenScope.MODERATE, TokenScope.ADMIN])).toEqual(PUBLIC_VIEWER);
    expect(viewerOf(member, [])).toEqual(PUBLIC_VIEWER);
    expect(viewerOf(null, null)).toEqual(PUBLIC_VIEWER);
  });

  it('Actor.viewer is viewerOf of its member and scopes', () => {
    for (const scopes of [null, [TokenScope.READ], [TokenScope.WRITE], [TokenScope.ADMIN, TokenScope.MODERATE]]) {
      const actor = Actor.member('m', 'o', [Role.PLATFORM_ADMIN], scopes ? { id: 't', scopes, expiresAt: new Date() } : undefined);
      expect(actor.viewer).toEqual(viewerOf(member, scopes));
    }
    expect(Actor.anonymous().viewer).toEqual(PUBLIC_VIEWER);
  });

  it('commonViewer is the narrower of two: the public when they differ', () => {
    const other = { memberId: 'n', organisationId: 'o' };
    expect(commonViewer(asMember, asMember)).toEqual(asMember);
    expect(commonViewer(asMember, PUBLIC_VIEWER)).toEqual(PUBLIC_VIEWER);
    expect(commonViewer(PUBLIC_VIEWER, asMember)).toEqual(PUBLIC_VIEWER);
    expect(commonViewer(asMember, other)).toEqual(PUBLIC_VIEWER);
    expect(viewerCovers(asMember, PUBLIC_VIEWER)).toBe(true);
    expect(viewerCovers(PUBLIC_VIEWER, asMember)).toBe(false);
    expect(viewerCovers(other, asMember)).toBe(false);
  });
});
