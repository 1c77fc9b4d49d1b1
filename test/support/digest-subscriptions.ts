import { Role, type TokenScope, type OrganisationEntity } from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { errorCode, expectOk, type GraphqlResponse, type TestApp } from './test-app.js';
import { unique } from './unique.js';

/** What the digest subscription specs (digest-subscriptions-*.e2e-spec.ts) share: GraphQL documents and row readers. */

/** The APP_SECRET startTestApp configures; the webhook secret is sealed and the feed token signed with it. */
export const APP_SECRET = 'test-secret-of-at-least-32-characters!!';
/** PUBLIC_URL's default when the test app does not set it (PORT defaults to 3000). */
export const PUBLIC_URL = 'http://localhost:3000';

export const FIELDS = `id name filter { query tags organisationSlugs organisationKinds countries } frequency hour weekday timeZone channel webhookUrl webhookSecret feedUrl pausedAt pauseReason createdAt`;
export const CREATE = `mutation($input: CreateDigestSubscriptionInput!) { createDigestSubscription(input: $input) { ${FIELDS} } }`;
export const UPDATE = `mutation($input: UpdateDigestSubscriptionInput!) { updateDigestSubscription(input: $input) { ${FIELDS} } }`;
export const DELETE = `mutation($id: ID!) { deleteDigestSubscription(input: { id: $id }) { ${FIELDS} } }`;
export const ROTATE = `mutation($id: ID!) { rotateDigestSubscriptionSecret(input: { id: $id }) { ${FIELDS} } }`;
export const LIST = `query { digestSubscriptions { ${FIELDS} } }`;
export const PREVIEW = `query($id: ID!) { digestPreview(subscriptionId: $id) { count entries { id title visibility } } }`;
export const NODE = `query($id: ID!) { node(id: $id) { id ... on DigestSubscription { name webhookSecret feedUrl } } }`;
export const DEACTIVATE = `mutation($id: ID!) { deactivateMember(input: { id: $id }) { id } }`;
export const RESOLVE = `mutation($id: ID!, $action: FlagAction!) { resolveFlag(input: { id: $id, action: $action }) { id status } }`;

export const HOUR = 3_600_000;

export function expectCode(response: GraphqlResponse, code: string): void {
  expect(response.data?.[Object.keys(response.data ?? {})[0] ?? ''] ?? null).toBeNull();
  expect(errorCode(response)).toBe(code);
}

export async function subscriptionRow(t: TestApp, id: string): Promise<Record<string, any> | undefined> {
  const rows = await t.dataSource.query(`SELECT * FROM digest_subscription WHERE id = $1`, [id]);
  return rows[0];
}

export async function rowsOfMember(t: TestApp, member: TestMember): Promise<Record<string, any>[]> {
  return t.dataSource.query(`SELECT * FROM digest_subscription WHERE member_id = $1 ORDER BY created_at, id`, [member.member.id]);
}

export async function create(t: TestApp, member: TestMember, input: Record<string, unknown>): Promise<Record<string, any>> {
  return expectOk(
    await t.gql(CREATE, { input: { name: `Digest ${unique()}`, frequency: 'DAILY', channel: 'ATOM', ...input } }, member.token),
    'createDigestSubscription',
  );
}

/** Members for the digest subscription specs, each in a new organisation unless one is given. */
export function subscriptionMembers(app: () => TestApp) {
  const member = async (roles: Role[] = [Role.CONTRIBUTOR], organisation?: OrganisationEntity, scopes?: TokenScope[]) =>
    createMember(app().app, organisation ?? (await createOrganisation(app().app)), roles, scopes);

  return { member };
}
