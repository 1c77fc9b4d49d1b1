import { randomUUID } from 'node:crypto';
import { TransactionHost } from '#database';
import { DELIVER_BATCH, DIGEST_QUEUES, DigestChannel, DigestJobs, type DeliverJob } from '#digests';
import { PracticeService, PracticeStatus, Visibility } from '#practices';
import { createMember, createOrganisation, createPractice } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('publication enqueues its digest work in the same transaction', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DIGEST_IMMEDIATE_DELAY_SECONDS: '120' });
  });
  afterAll(() => t.close());

  const jobsFor = async (practiceId: string) =>
    (await t.dataSource.query(`SELECT name, data, start_after FROM pgboss.job WHERE name = $1 AND data->>'practiceId' = $2`, [
      DIGEST_QUEUES.publication,
      practiceId,
    ])) as {
      name: string;
      start_after: Date;
    }[];

  it('a committed first publication leaves exactly one job, due after the batching delay', async () => {
    const org = await createOrganisation(t.app);
    const author = await createMember(t.app, org);
    const before = Date.now();
    const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });
    const jobs = await jobsFor(practice.id);
    expect(jobs).toHaveLength(1);
    const delay = new Date(jobs[0]!.start_after).getTime() - before;
    expect(delay).toBeGreaterThan(115_000);
    expect(delay).toBeLessThan(180_000);
    // Publishing again (archive, then publish) is not a first publication: no second job.
    await t.app.get(PracticeService).archive(author.actor, practice.id);
    await t.app.get(PracticeService).publish(author.actor, practice.id);
    expect(await jobsFor(practice.id)).toHaveLength(1);
  });

  it('a publication rolled back leaves no job and no published practice', async () => {
    const org = await createOrganisation(t.app);
    const author = await createMember(t.app, org);
    const draft = await createPractice(t.app, author, { status: PracticeStatus.DRAFT });
    await expect(
      t.app.get(TransactionHost).run(async () => {
        await t.app.get(PracticeService).publish(author.actor, draft.id);
        throw new Error('something later in the same transaction failed');
      }),
    ).rejects.toThrow('something later');
    expect(await jobsFor(draft.id)).toEqual([]);
    const [row] = await t.dataSource.query('SELECT status FROM practice WHERE id = $1', [draft.id]);
    expect(row.status).toBe('DRAFT');
  });
});

describe('delivery jobs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it(`carry Atom digests ${DELIVER_BATCH} a job and every e-mail or webhook digest alone, each request once`, async () => {
    const period = `daily:${randomUUID()}`;
    const request = (channel: DigestChannel) => ({ subscriptionId: randomUUID(), periodKey: period, channel });
    const atom = Array.from({ length: 2 * DELIVER_BATCH + 7 }, () => request(DigestChannel.ATOM));
    const others = [request(DigestChannel.EMAIL), request(DigestChannel.WEBHOOK)];

    await t.app.get(DigestJobs).enqueueDeliveries([atom[0]!, others[0]!, ...atom.slice(1), others[1]!], 30);

    const jobs: { data: DeliverJob; start_after: Date }[] = await t.dataSource.query(
      `SELECT data, start_after FROM pgboss.job WHERE name = $1 AND data->'requests'->0->>'periodKey' = $2`,
      [DIGEST_QUEUES.deliver, period],
    );
    const sizes = jobs.map((j) => [j.data.requests.length, j.data.requests[0]!.channel]).sort((a, b) => String(a).localeCompare(String(b)));
    expect(sizes).toEqual(
      [
        [1, 'EMAIL'],
        [1, 'WEBHOOK'],
        [DELIVER_BATCH, 'ATOM'],
        [DELIVER_BATCH, 'ATOM'],
        [7, 'ATOM'],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
    for (const job of jobs) expect(new Set(job.data.requests.map((r) => r.channel)).size).toBe(1);
    const carried = jobs.flatMap((j) => j.data.requests.map((r) => r.subscriptionId)).sort();
    expect(carried).toEqual([...atom, ...others].map((r) => r.subscriptionId).sort());
    for (const job of jobs) expect(new Date(job.start_after).getTime()).toBeGreaterThan(Date.now() + 20_000);
  });
});
