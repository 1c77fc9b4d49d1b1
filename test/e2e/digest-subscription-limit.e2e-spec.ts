/**
 * A member may hold at most 50 digest subscriptions (what one caller can cost): the 51st createDigestSubscription is
 * a CONFLICT whose message names the limit and says to delete one, nothing is written, and creations racing each
 * other cannot pass the limit together. Deleting one makes room again.
 */
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { errorCode, expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

const LIMIT = 50;
const CREATE = `mutation($input: CreateDigestSubscriptionInput!) { createDigestSubscription(input: $input) { id } }`;
const DELETE = `mutation($id: ID!) { deleteDigestSubscription(input: { id: $id }) { id } }`;

describe('digest subscriptions per member', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const create = (member: TestMember, name = `Digest ${unique()}`) => t.gql(CREATE, { input: { name, frequency: 'DAILY', channel: 'ATOM' } }, member.token);
  const countOf = async (member: TestMember): Promise<number> =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM digest_subscription WHERE member_id = $1', [member.member.id]))[0].n;

  it(`${LIMIT} succeed; the next is a CONFLICT that names the limit, and nothing is written; deleting one makes room`, async () => {
    const member = await createMember(t.app, await createOrganisation(t.app));
    const ids: string[] = [];
    for (let i = 0; i < LIMIT; i += 1) ids.push(expectOk(await create(member), 'createDigestSubscription').id as string);

    const refused = await create(member, 'One too many');

    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.data?.createDigestSubscription ?? null).toBeNull();
    expect(refused.errors![0]!.message).toMatch(/50 digest subscriptions/);
    expect(refused.errors![0]!.message).toMatch(/[Dd]elete one/);
    expect(await countOf(member)).toBe(LIMIT);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM digest_subscription WHERE name = 'One too many'`);
    expect(n).toBe(0);

    // Another member is not held back by this one's count.
    const other = await createMember(t.app, await createOrganisation(t.app));
    expectOk(await create(other), 'createDigestSubscription');

    expectOk(await t.gql(DELETE, { id: ids[0] }, member.token), 'deleteDigestSubscription');
    expectOk(await create(member), 'createDigestSubscription');
    expect(await countOf(member)).toBe(LIMIT);
  });

  it('creations racing each other cannot pass the limit together', async () => {
    const member = await createMember(t.app, await createOrganisation(t.app));
    for (let i = 0; i < LIMIT - 2; i += 1) expectOk(await create(member), 'createDigestSubscription');

    const responses = await Promise.all(Array.from({ length: 6 }, () => create(member)));

    expect(responses.filter((r) => !r.errors).length).toBe(2);
    expect(responses.filter((r) => errorCode(r) === 'CONFLICT').length).toBe(4);
    expect(await countOf(member)).toBe(LIMIT);
  });
});
