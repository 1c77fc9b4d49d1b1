/**
 * What DigestSubscriptionService gives the web pages besides the GraphQL mutations: pausing and resuming by the owner,
 * the preview of the next digest, the delivery log and each subscription's last delivery. Each is its owner's only:
 * anyone else's subscription is SUBSCRIPTION_NOT_FOUND and nothing changes.
 */
import { OPERATOR, Actor, MemberService, TokenScope, type OrganisationEntity } from '#identity';
import { Visibility } from '#practices';
import { DigestChannel, DigestError, DigestErrorCode, DigestFrequency, DigestSubscriptionService, PAUSED_BY_OWNER } from '#digests';
import { DigestDeliveryRepository } from '../../libs/digests/src/deliveries/digest-delivery.repository.js';
import { createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('DigestSubscriptionService for the web pages', () => {
  let t: TestApp;
  let organisation: OrganisationEntity;
  let owner: TestMember;
  let stranger: TestMember;
  let service: DigestSubscriptionService;

  beforeAll(async () => {
    t = await startTestApp();
    organisation = await createOrganisation(t.app);
    owner = await createMember(t.app, organisation);
    stranger = await createMember(t.app, await createOrganisation(t.app));
    service = t.app.get(DigestSubscriptionService);
  });
  afterAll(() => t.close());

  const create = (member: TestMember, name = 'A digest') =>
    service.create(member.actor, { name, frequency: DigestFrequency.DAILY, channel: DigestChannel.ATOM });
  const row = async (id: string) =>
    (await t.dataSource.query('SELECT paused_at, pause_reason, composer_scopes FROM digest_subscription WHERE id = $1', [id]))[0];
  const expectNotFound = async (promise: Promise<unknown>) => {
    await expect(promise).rejects.toBeInstanceOf(DigestError);
    await promise.catch((error: DigestError) => expect(error.code).toBe(DigestErrorCode.SUBSCRIPTION_NOT_FOUND));
  };

  it('pauses and resumes for its owner; twice changes nothing; another member finds nothing', async () => {
    const subscription = await create(owner);
    const at = new Date('2026-12-01T10:00:00Z');
    const paused = await service.pause(owner.actor, subscription.id, at);
    expect([paused.pausedAt, paused.pauseReason]).toEqual([at, PAUSED_BY_OWNER]);
    expect((await service.pause(owner.actor, subscription.id, new Date('2026-12-02T10:00:00Z'))).pausedAt).toEqual(at);
    expect(await row(subscription.id)).toMatchObject({ paused_at: at, pause_reason: PAUSED_BY_OWNER });

    await expectNotFound(service.resume(stranger.actor, subscription.id));
    expect((await row(subscription.id)).paused_at).toEqual(at);

    const resumed = await service.resume(owner.actor, subscription.id);
    expect([resumed.pausedAt, resumed.pauseReason]).toEqual([null, null]);
    expect(await row(subscription.id)).toMatchObject({ paused_at: null, pause_reason: null });
    expect((await service.resume(owner.actor, subscription.id)).pausedAt).toBeNull();

    await expectNotFound(service.pause(stranger.actor, subscription.id));
    expect((await row(subscription.id)).paused_at).toBeNull();
  });

  it('resumes as the caller reads: a token without read narrows it, and a deactivated member stays paused', async () => {
    const subscription = await create(owner);
    await service.pause(owner.actor, subscription.id);
    const writeOnly = Actor.member(owner.member.id, organisation.id, owner.member.roles, {
      id: 'token',
      scopes: [TokenScope.WRITE],
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    await service.resume(writeOnly, subscription.id);
    expect((await row(subscription.id)).composer_scopes).toBe('{write}');

    const leaver = await createMember(t.app, organisation);
    const theirs = await create(leaver);
    await t.app.get(MemberService).deactivate(OPERATOR, leaver.member.id);
    await expect(service.resume(leaver.actor, theirs.id)).rejects.toMatchObject({ code: DigestErrorCode.INVALID_INPUT, field: 'id' });
    expect((await row(theirs.id)).pause_reason).toBe('member deactivated');
  });

  it('previews what the next digest would carry, for its owner only', async () => {
    const subscription = await service.create(owner.actor, {
      name: 'Tallies',
      frequency: DigestFrequency.DAILY,
      channel: DigestChannel.ATOM,
      filter: { tags: ['Count tallies'] },
    });
    const matching = await createPractice(t.app, owner, { visibility: Visibility.TLP_GREEN, tags: ['Count tallies'] });
    await createPractice(t.app, owner, { visibility: Visibility.TLP_GREEN, tags: ['Something else'] });
    expect((await service.preview(owner.actor, subscription.id)).map((p) => p.id)).toEqual([matching.id]);
    await expectNotFound(service.preview(stranger.actor, subscription.id));
  });

  it('gives the delivery log newest first and the last delivery of each subscription, for its owner only', async () => {
    const first = await create(owner);
    const second = await create(owner);
    const never = await create(owner);
    const deliveries = t.app.get(DigestDeliveryRepository);
    const older = (await deliveries.claim(first.id, 'daily:2026-11-30', 'm1', new Date('2026-11-30T07:00:00Z'))).delivery;
    const newer = (await deliveries.claim(first.id, 'daily:2026-12-01', 'm2')).delivery;
    const only = (await deliveries.claim(second.id, 'daily:2026-12-01', 'm3')).delivery;
    await deliveries.claim((await create(stranger)).id, 'daily:2026-12-01', 'm4');

    expect((await service.deliveries(owner.actor, first.id, 10)).map((d) => d.id)).toEqual([newer.id, older.id]);
    expect((await service.deliveries(owner.actor, first.id, 1)).map((d) => d.id)).toEqual([newer.id]);
    await expect(service.deliveries(owner.actor, first.id, 0)).rejects.toMatchObject({ code: DigestErrorCode.INVALID_INPUT });
    await expect(service.deliveries(owner.actor, first.id, 101)).rejects.toMatchObject({ code: DigestErrorCode.INVALID_INPUT });
    await expectNotFound(service.deliveries(stranger.actor, first.id, 10));

    const last = await service.lastDeliveries(owner.actor);
    expect(last.get(first.id)?.id).toBe(newer.id);
    expect(last.get(second.id)?.id).toBe(only.id);
    expect(last.has(never.id)).toBe(false);
    expect([...(await service.lastDeliveries(stranger.actor)).values()].every((d) => d.subscriptionId !== first.id)).toBe(true);
  });
});
