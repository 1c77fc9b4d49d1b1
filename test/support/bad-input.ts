import { type TestMember } from '../factories/index.js';
import { errorCode, type GraphqlResponse, type TestApp } from './test-app.js';

/** What the bad-input specs (bad-input-*.e2e-spec.ts) share: GraphQL documents and the checks of a refusal. */

export const CREATE_PRACTICE = `mutation($input: CreatePracticeInput!) {
  createPractice(input: $input) { id title summary problem approach outcomes resources { title url } tags { slug } visibility audience { slug } } }`;
export const UPDATE_PRACTICE = `mutation($input: UpdatePracticeInput!) { updatePractice(input: $input) { id title revision } }`;
export const PUBLISH_PRACTICE = `mutation($id: ID!) { publishPractice(input: { id: $id }) { id status } }`;
export const ADD_COMMENT = `mutation($practiceId: ID!, $body: String!) { addComment(input: { practiceId: $practiceId, body: $body }) { id body } }`;
export const EDIT_COMMENT = `mutation($id: ID!, $body: String!) { editComment(input: { id: $id, body: $body }) { id body } }`;
export const RECORD_ADOPTION = `mutation($input: RecordAdoptionInput!) { recordAdoption(input: $input) { id note outcome } }`;
export const FLAG_CONTENT = `mutation($input: FlagContentInput!) { flagContent(input: $input) { id note } }`;
export const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id name } } }`;

export const long = (n: number) => 'x'.repeat(n);

/** Everything an error says about the field at fault: message, `problems` and `field`. */
export function errorText(response: GraphqlResponse): string {
  const error = response.errors?.[0];
  return [error?.message ?? '', ...(error?.extensions?.problems ?? []), error?.extensions?.field ?? ''].join(' | ');
}

/** Asserts a BAD_USER_INPUT error whose message or problems name `field` (and `rule`, when given). */
export function expectBadInput(response: GraphqlResponse, field: string, rule?: RegExp): void {
  expect({ code: errorCode(response), text: errorText(response) }).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(errorText(response)).toContain(field);
  if (rule) expect(errorText(response)).toMatch(rule);
  expect(response.status).toBeLessThan(500);
}

/** Row counts and the refused createPractice (sent as `writer`) of the bad-input specs, against the running test app. */
export function badInputSteps(app: () => TestApp, writer: () => TestMember) {
  async function count(table: string): Promise<number> {
    const rows = (await app().dataSource.query(`select count(*)::int as n from ${table}`)) as { n: number }[];
    return rows[0]!.n;
  }

  /** Row counts of every table a practice write touches. */
  async function practiceTables(): Promise<Record<string, number>> {
    const tables = ['practice', 'practice_revision', 'practice_tag', 'practice_audience', 'tag', 'audit_event'];
    return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await count(table)] as const)));
  }

  async function practiceRow(id: string): Promise<Record<string, unknown>> {
    const rows = (await app().dataSource.query(
      'select title, summary, problem, approach, outcomes, resources, visibility, revision, updated_at from practice where id = $1',
      [id],
    )) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  /** Runs a createPractice that must be refused as bad input naming `field`, and checks that nothing was written. */
  async function expectCreateRefused(input: Record<string, unknown>, field: string, rule?: RegExp): Promise<void> {
    const before = await practiceTables();
    const response = await app().gql(CREATE_PRACTICE, { input }, writer().token);
    expectBadInput(response, field, rule);
    expect(response.data?.createPractice ?? null).toBeNull();
    expect(await practiceTables()).toEqual(before);
  }

  return { count, practiceTables, practiceRow, expectCreateRefused };
}
