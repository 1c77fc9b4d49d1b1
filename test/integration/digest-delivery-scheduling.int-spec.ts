import { DigestDispatchService } from '#digests';
import { createMember, createOrganisation } from '../factories/index.js';
import { subscribe } from '../support/digests.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { subscriptionRow } from '../support/digest-delivery.js';

/**
 * Digest delivery end to end inside one process: DigestDeliveryService.deliver against real peers (an smtp-server on
 * 127.0.0.1 whose mail is parsed with mailparser; an HTTP receiver that verifies every call with the published
 * `standardwebhooks` package; the subscription's Atom feed over HTTP), each case asserting what the peer received AND
 * the digest_delivery / digest_entry rows behind it. Subscriptions are made through GraphQL, the practices are
 * published afterwards with the factories, and deliver() is called directly (the worker only decides when; the last
 * block runs two real workers in this process, and digest-worker-crash.int-spec.ts kills one of two worker processes
 * mid-delivery).
 *
 * Expected rules (README, "Rolling restarts and shutdown"): a practice goes to a subscription once (digest_entry), a
 * delivery is claimed and committed before it is sent, a retry after a crash between sending and recording resends with
 * the SAME Message-ID or webhook-id, every other case sends one mail or call; visibility is evaluated for the
 * subscriber at send time.
 */
describe('scheduling DAILY and WEEKLY digests (dueScheduled)', () => {
  let t: TestApp;
  let dispatch: DigestDispatchService;

  beforeAll(async () => {
    // A database of its own: dueScheduled looks at every subscription in it.
    t = await startTestApp();
    dispatch = t.app.get(DigestDispatchService);
  });
  afterAll(() => t?.close());

  async function atomSubscription(input: Record<string, unknown> = {}): Promise<string> {
    const owner = await createMember(t.app, await createOrganisation(t.app));
    return (await subscribe(t, owner, { channel: 'ATOM', ...input })).id;
  }

  it('a DAILY subscription at 07:00 Europe/London is due once a day: at 07:05 (watermark set), not at 07:10, again the next day at 07:01', async () => {
    const id = await atomSubscription({ frequency: 'DAILY', hour: 7, timeZone: 'Europe/London' });
    expect((await subscriptionRow(t, id))!.last_attempted_at).toBeNull();

    const first = await dispatch.dueScheduled(new Date('2026-11-25T07:05:00Z'), 100);

    expect(first.filter((r) => r.subscriptionId === id)).toEqual([{ subscriptionId: id, periodKey: 'daily:2026-11-25', channel: 'ATOM' }]);
    expect((await subscriptionRow(t, id))!.last_attempted_at).toEqual(new Date('2026-11-25T07:05:00Z'));

    expect((await dispatch.dueScheduled(new Date('2026-11-25T07:10:00Z'), 100)).filter((r) => r.subscriptionId === id)).toEqual([]);
    expect((await dispatch.dueScheduled(new Date('2026-11-26T06:59:00Z'), 100)).filter((r) => r.subscriptionId === id)).toEqual([]);
    expect((await subscriptionRow(t, id))!.last_attempted_at).toEqual(new Date('2026-11-25T07:05:00Z'));

    const next = await dispatch.dueScheduled(new Date('2026-11-26T07:01:00Z'), 100);
    expect(next.filter((r) => r.subscriptionId === id)).toEqual([{ subscriptionId: id, periodKey: 'daily:2026-11-26', channel: 'ATOM' }]);
    expect((await subscriptionRow(t, id))!.last_attempted_at).toEqual(new Date('2026-11-26T07:01:00Z'));
  });

  it('two concurrent schedulers never return the same subscription twice, and together return every due one', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push(await atomSubscription({ frequency: 'DAILY', hour: 7, timeZone: 'Europe/London' }));

    for (const day of ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']) {
      const now = new Date(`${day}T07:05:00Z`);
      const [a, b] = await Promise.all([dispatch.dueScheduled(now, 100), dispatch.dueScheduled(now, 100)]);
      const returned = [...a, ...b].map((r) => r.subscriptionId);
      expect(new Set(returned).size).toBe(returned.length);
      expect(returned.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
      for (const r of [...a, ...b]) expect(r.periodKey).toBe(`daily:${day}`);
    }
  });

  it('WEEKLY subscriptions that are not due do not starve a DAILY one that is (the cap counts due subscriptions, not examined ones)', async () => {
    const weekly = [
      await atomSubscription({ frequency: 'WEEKLY', weekday: 'MONDAY', hour: 7, timeZone: 'Europe/London' }),
      await atomSubscription({ frequency: 'WEEKLY', weekday: 'MONDAY', hour: 7, timeZone: 'Europe/London' }),
    ];
    const daily = await atomSubscription({ frequency: 'DAILY', hour: 7, timeZone: 'Europe/London' });
    // Monday's weekly digests went out on Monday; the daily one yesterday (Tuesday). Now it is Wednesday 07:05.
    await t.dataSource.query(`UPDATE digest_subscription SET last_attempted_at = '2026-11-23T07:05:00Z' WHERE id = ANY($1::uuid[])`, [weekly]);
    await t.dataSource.query(`UPDATE digest_subscription SET last_attempted_at = '2026-11-24T07:05:00Z' WHERE id = $1`, [daily]);

    // A scheduler with room for two per run, run every five minutes (production: 1000 per run, so 1000 WEEKLY
    // subscriptions attempted before the DAILY ones would do the same).
    const runs = [];
    for (const at of ['07:05', '07:10', '07:15']) runs.push(...(await dispatch.dueScheduled(new Date(`2026-11-25T${at}:00Z`), 2)));

    expect(runs.filter((r) => weekly.includes(r.subscriptionId))).toEqual([]);
    expect(runs.filter((r) => r.subscriptionId === daily)).toEqual([{ subscriptionId: daily, periodKey: 'daily:2026-11-25', channel: 'ATOM' }]);
  });
});
