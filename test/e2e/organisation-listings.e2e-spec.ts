import { AuditService, IdentityProviderRepository, IdentityProviderService, MemberService, Role, mayManageMember, type OrganisationEntity } from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The listings the organisation pages need from identity: an organisation's members and identity providers, and its
 * audit log alone; each for its admins and platform admins only, as the rules of the members' and IdPs' mutations.
 */
describe('organisation listings', () => {
  let t: TestApp;
  let kent: OrganisationEntity;
  let other: OrganisationEntity;
  let admin: TestMember;
  let otherAdmin: TestMember;
  let platformAdmin: TestMember;
  let contributor: TestMember;

  beforeAll(async () => {
    t = await startTestApp();
    kent = await createOrganisation(t.app);
    other = await createOrganisation(t.app);
    admin = await createMember(t.app, kent, [Role.ORG_ADMIN]);
    contributor = await createMember(t.app, kent, [Role.CONTRIBUTOR]);
    otherAdmin = await createMember(t.app, other, [Role.ORG_ADMIN]);
    platformAdmin = await createMember(t.app, other, [Role.PLATFORM_ADMIN]);
  });
  afterAll(() => t.close());

  it("lists an organisation's members by name, deactivated ones too, in pages, for its admins and platform admins only", async () => {
    const members = t.app.get(MemberService);
    const leaver = await createMember(t.app, kent, [Role.CONTRIBUTOR]);
    await members.deactivate(admin.actor, leaver.member.id);
    const all = await members.listOfOrganisation(admin.actor, kent.id, 10);
    expect(all.map((m) => m.id).sort()).toEqual([admin.member.id, contributor.member.id, leaver.member.id].sort());
    expect(all.map((m) => m.name)).toEqual([...all.map((m) => m.name)].sort());
    const [first, second] = await members.listOfOrganisation(admin.actor, kent.id, 1);
    expect(second).toBeDefined();
    const rest = await members.listOfOrganisation(admin.actor, kent.id, 10, { name: first!.name, id: first!.id });
    expect(rest.map((m) => m.id)).toEqual(all.slice(1).map((m) => m.id));
    expect((await members.listOfOrganisation(platformAdmin.actor, kent.id, 10)).length).toBe(3);
    await expect(members.listOfOrganisation(otherAdmin.actor, kent.id, 10)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(members.listOfOrganisation(contributor.actor, kent.id, 10)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(mayManageMember(admin.actor, contributor.member)).toBe(true);
    expect(mayManageMember(otherAdmin.actor, contributor.member)).toBe(false);
    expect(mayManageMember(admin.actor, { organisationId: kent.id, roles: [Role.PLATFORM_ADMIN] })).toBe(false);
  });

  it("lists an organisation's identity providers, disabled ones too, for whoever manages them", async () => {
    const repo = t.app.get(IdentityProviderRepository);
    for (const [key, enabled] of [
      ['b-off', false],
      ['a-on', true],
    ] as const) {
      await repo.save({
        organisationId: kent.id,
        key,
        name: key,
        entityId: `https://${key}.idp.test`,
        ssoUrl: `https://${key}.idp.test/sso`,
        sloUrl: null,
        certificates: [],
        attributeMapping: {},
        enabled,
      });
    }
    const idps = t.app.get(IdentityProviderService);
    expect((await idps.listOfOrganisation(admin.actor, kent)).map((i) => i.key)).toEqual(['a-on', 'b-off']);
    expect((await idps.listOfOrganisation(platformAdmin.actor, kent)).length).toBe(2);
    await expect(idps.listOfOrganisation(otherAdmin.actor, kent)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(idps.listOfOrganisation(contributor.actor, kent)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(idps.serviceProviderUrls(kent).acs).toMatch(new RegExp(`/auth/saml/${kent.slug}/acs$`));
  });

  it("narrows the audit log to one organisation: an admin's own, any for platform admins", async () => {
    const audit = t.app.get(AuditService);
    const own = await audit.list(admin.actor, { organisationId: kent.id }, 50);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e) => e.organisationId === kent.id)).toBe(true);
    const narrowed = await audit.list(platformAdmin.actor, { organisationId: kent.id }, 50);
    expect(narrowed.map((e) => e.id)).toEqual(own.map((e) => e.id));
    const everything = await audit.list(platformAdmin.actor, {}, 100);
    expect(everything.some((e) => e.organisationId === other.id)).toBe(true);
    await expect(audit.list(otherAdmin.actor, { organisationId: kent.id }, 50)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});
