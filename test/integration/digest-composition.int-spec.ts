/**
 * What one digest takes (DigestCompositionRepository through DigestDeliveryService.deliver): at most
 * MAX_ENTRIES_PER_DIGEST practices, oldest first, the rest in the next digest; and the look-back. After a digest, the
 * next one looks back from the newest practice recorded (composed_through), less LATE_PUBLICATION_GRACE_MS, so its
 * cost follows what is new rather than the subscription's whole history, while a publication that committed late
 * (its published_at before practices already sent) still goes out, once.
 */
import { DigestDeliveryService } from '#digests';
import { Visibility } from '#practices';
import { LATE_PUBLICATION_GRACE_MS, MAX_ENTRIES_PER_DIGEST } from '../../libs/digests/src/deliveries/digest-composition.repository.js';
import { createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { rowId } from '../support/digests.js';

const CREATE = `mutation($input: CreateDigestSubscriptionInput!) { createDigestSubscription(input: $input) { id } }`;
const MINUTE = 60_000;

describe('digest composition', () => {
  let t: TestApp;
  let author: TestMember;
  let subscriber: TestMember;

  beforeAll(async () => {
    t = await startTestApp();
    author = await createMember(t.app, await createOrganisation(t.app));
    subscriber = await createMember(t.app, await createOrganisation(t.app));
  });
  afterAll(() => t?.close());

  /** An ATOM subscription to a fresh tag, made `ageMs` ago (so practices can be published after it in the past). */
  async function subscribe(ageMs: number): Promise<{ id: string; tag: string }> {
    const tag = `Composition ${unique()}`;
    const gid = expectOk(
      await t.gql(CREATE, { input: { name: `Digest ${unique()}`, frequency: 'DAILY', channel: 'ATOM', filter: { tags: [tag] } } }, subscriber.token),
      'createDigestSubscription',
    ).id as string;
    const id = rowId(gid);
    await t.dataSource.query(`UPDATE digest_subscription SET created_at = $2 WHERE id = $1`, [id, new Date(Date.now() - ageMs)]);
    return { id, tag };
  }

  const publish = (tag: string, publishedAt: Date, title = `Practice ${unique()}`) =>
    createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: [tag], title, publishedAt });
  const deliver = (subscriptionId: string, period: string) => t.app.get(DigestDeliveryService).deliver(subscriptionId, period);

  async function entriesOf(subscriptionId: string, period: string): Promise<string[]> {
    const rows = await t.dataSource.query(
      `SELECT e.practice_id FROM digest_entry e JOIN digest_delivery d ON d.id = e.delivery_id JOIN practice p ON p.id = e.practice_id
       WHERE d.subscription_id = $1 AND d.period_key = $2 ORDER BY p.published_at, p.id`,
      [subscriptionId, period],
    );
    return rows.map((r: { practice_id: string }) => r.practice_id);
  }

  async function composedThrough(subscriptionId: string): Promise<Date | null> {
    return (await t.dataSource.query(`SELECT composed_through FROM digest_subscription WHERE id = $1`, [subscriptionId]))[0].composed_through;
  }

  it(`takes at most ${MAX_ENTRIES_PER_DIGEST} practices, oldest first; the rest go in the next digest, none twice`, async () => {
    const { id, tag } = await subscribe(10 * 24 * 60 * MINUTE);
    const start = Date.now() - 5 * 24 * 60 * MINUTE;
    const practices = [];
    for (let i = 0; i < MAX_ENTRIES_PER_DIGEST + 5; i += 1) practices.push(await publish(tag, new Date(start + i * MINUTE)));

    expect(await deliver(id, 'daily:2026-12-01')).toBe('sent');
    expect(await deliver(id, 'daily:2026-12-02')).toBe('sent');
    expect(await deliver(id, 'daily:2026-12-03')).toBe('nothing-new');

    expect(await entriesOf(id, 'daily:2026-12-01')).toEqual(practices.slice(0, MAX_ENTRIES_PER_DIGEST).map((p) => p.id));
    expect(await entriesOf(id, 'daily:2026-12-02')).toEqual(practices.slice(MAX_ENTRIES_PER_DIGEST).map((p) => p.id));
    expect((await composedThrough(id))!.getTime()).toBe(start + (MAX_ENTRIES_PER_DIGEST + 4) * MINUTE);
  }, 60_000);

  it('after a digest, looks back from the newest practice it recorded less the grace: a late publication inside the grace goes out once; one older than that is not new any more', async () => {
    const { id, tag } = await subscribe(3 * 24 * 60 * MINUTE);
    const newest = new Date(Date.now() - 24 * 60 * MINUTE);
    const first = await publish(tag, newest);
    expect(await deliver(id, 'daily:2026-12-01')).toBe('sent');
    expect((await composedThrough(id))!.getTime()).toBe(newest.getTime());

    // Both committed after the first digest, with publication times before its newest practice.
    const lateInsideGrace = await publish(tag, new Date(newest.getTime() - LATE_PUBLICATION_GRACE_MS + MINUTE), 'committed late, inside the grace');
    const olderThanGrace = await publish(tag, new Date(newest.getTime() - LATE_PUBLICATION_GRACE_MS - MINUTE), 'older than the grace');
    expect(await deliver(id, 'daily:2026-12-02')).toBe('sent');

    expect(await entriesOf(id, 'daily:2026-12-01')).toEqual([first.id]);
    expect(await entriesOf(id, 'daily:2026-12-02')).toEqual([lateInsideGrace.id]);
    const all = await t.dataSource.query(`SELECT practice_id FROM digest_entry WHERE subscription_id = $1`, [id]);
    expect(all.map((r: { practice_id: string }) => r.practice_id)).not.toContain(olderThanGrace.id);
    // The look-back never moves backwards.
    expect((await composedThrough(id))!.getTime()).toBe(newest.getTime());
  });

  it('a subscription with no digest yet looks back to its own start, however old', async () => {
    const { id, tag } = await subscribe(400 * 24 * 60 * MINUTE);
    const old = await publish(tag, new Date(Date.now() - 300 * 24 * 60 * MINUTE));
    expect(await composedThrough(id)).toBeNull();

    expect(await deliver(id, 'daily:2026-12-01')).toBe('sent');

    expect(await entriesOf(id, 'daily:2026-12-01')).toEqual([old.id]);
  });
});
