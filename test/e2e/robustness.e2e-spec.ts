/**
 * Property-based robustness: fast-check throws malformed JSON, GraphQL documents, XML and SAML messages, huge bodies,
 * random bytes and wrong content types at every HTTP entry point, as an anonymous caller, with an API token and with
 * a signed-in session and its CSRF token. The routes are read from the running app's router and the GraphQL fields
 * from its schema, so a new route or field is covered without touching this file.
 *
 * Every answer must be below 500 and, when a refusal, say so in our words (a JSON error with a code, or a page with
 * our own sentence), never a stack trace or a library's text; a refused request writes nothing; the server keeps
 * answering /health after every batch.
 *
 * The run is bounded and reproducible: a fixed seed (FC_SEED to change it) and a fixed number of runs per property
 * (FC_RUNS scales them). On failure fast-check's report gives the seed, the path and the counterexample.
 */
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { GraphQLSchemaHost, GRAPHQL_MODULE_OPTIONS } from '@nestjs/graphql';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { AppConfig } from '#config';
import { ApiTokenService, Role, SessionService, SESSION_COOKIE, TokenScope, toGlobalId } from '#identity';
import { signUnsubscribeToken } from '#digests';
import { Visibility } from '#practices';
import {
  createAdoption,
  createComment,
  createFlag,
  createIdentityProvider,
  createMember,
  createOrganisation,
  createPractice,
  type TestMember,
} from '../factories/index.js';
import { subscribe } from '../support/digests.js';
import { NAMEID_FORMAT, createTestIdp, type TestIdp } from '../support/saml-idp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { csrfTokenOf } from '../support/web-client.js';

const SEED = Number(process.env.FC_SEED ?? 20_261_207);
const SCALE = Number(process.env.FC_RUNS ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
/** Generous: the properties take seconds to tens of seconds each; this bounds a hang, not the speed. */
const PROPERTY_TIMEOUT = 600_000;

/** Words that belong to a framework, a library, the database or a stack trace: never in an answer. */
const INTERNALS =
  /Failed to decode|Unexpected token|Unexpected end of JSON|JSON at position|Expected property name|Cannot (GET|POST|PUT|PATCH|DELETE)\b|QueryFailed|duplicate key|violates|invalid input syntax|invalid byte sequence|value too long|out of range for type|relation "|Driver|PayloadTooLarge|request entity too large|MulterError|Multipart|Unexpected field|Boundary not found|node_modules|TypeError|ReferenceError|RangeError|SyntaxError|Cannot read propert|is not a function|undefined is not|\bat \S+ \(|\bat (async )?[\w.<>]+ \(|\/src\/|\.ts:\d+|\.js:\d+|stack/;

type Identity = 'anonymous' | 'token' | 'session' | 'forged';
/** `forged`: a random Bearer token, session cookie or both, of any shape. */
const IDENTITIES: Identity[] = ['anonymous', 'token', 'session', 'forged'];

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
}

interface Sent {
  method: string;
  path: string;
  identity: Identity;
  headers: Record<string, string>;
  bodyKind: string;
  bodyPreview: string;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

describe('robustness: every HTTP entry point under random and malformed input', () => {
  let t: TestApp;
  let idp: TestIdp;
  let admin: TestMember;
  let sessionCookie: string;
  let csrfToken: string;
  let routes: Route[];
  let graphqlPath: string;
  let schema: GraphQLSchema;
  /** Real ids and slugs of objects the signed-in admin may touch, so random input also reaches the code behind the ids. */
  const realValues: string[] = [];
  /** Field names of the pages' forms, read from the pages themselves, by the form's action path with parameters in. */
  const formFields = new Map<string, string[]>();
  /** Global ids for GraphQL arguments. */
  const realGlobalIds: string[] = [];
  let samlMessages: { name: string; value: string }[] = [];
  let samlOrg = '';

  beforeAll(async () => {
    // Demo mode only adds the demo IdP's routes here (the database is the test's own): they are entry points too.
    [t, idp] = await Promise.all([
      startTestApp({ DATABASE_URL: '' }),
      createTestIdp({ entityId: 'https://idp.robust.test/saml', ssoUrl: 'https://idp.robust.test/sso', sloUrl: 'https://idp.robust.test/slo' }),
    ]);
    const org = await createOrganisation(t.app);
    const other = await createOrganisation(t.app);
    admin = await createMember(t.app, org, [Role.CONTRIBUTOR, Role.MODERATOR, Role.ORG_ADMIN, Role.PLATFORM_ADMIN]);
    const colleague = await createMember(t.app, org, [Role.CONTRIBUTOR]);
    const outsider = await createMember(t.app, other, [Role.CONTRIBUTOR]);
    const practice = await createPractice(t.app, colleague, { visibility: Visibility.TLP_CLEAR });
    const draft = await createPractice(t.app, admin, { status: 'DRAFT' as never });
    const comment = await createComment(t.app, outsider, practice);
    const adoption = await createAdoption(t.app, outsider, practice);
    const flag = await createFlag(t.app, outsider, practice.gid);
    const idpRecord = await createIdentityProvider(t.app, org, idp);
    const { apiToken } = await t.app.get(ApiTokenService).createForMember(admin.member, { name: 'victim', scopes: [TokenScope.READ] });
    const feed = await subscribe(t, admin, { channel: 'ATOM' });
    const mail = await subscribe(t, admin, { channel: 'EMAIL' });
    const unsubscribe = signUnsubscribeToken(mail.id, t.app.get(AppConfig).appSecret);
    samlOrg = org.slug;
    realValues.push(
      ...[practice, draft].flatMap((p) => [p.id, p.gid]),
      comment.id,
      comment.gid,
      adoption.gid,
      flag.id,
      flag.gid,
      colleague.member.id,
      colleague.id,
      idpRecord.id,
      apiToken.id,
      feed.id,
      feed.gid,
      mail.id,
      unsubscribe,
      `${feed.feedUrl!.split('/').pop()!}`,
      org.slug,
      other.slug,
    );
    realGlobalIds.push(
      practice.gid,
      draft.gid,
      comment.gid,
      adoption.gid,
      flag.gid,
      colleague.id,
      outsider.id,
      feed.gid,
      mail.gid,
      toGlobalId('ApiToken', apiToken.id),
      toGlobalId('IdentityProvider', idpRecord.id),
      toGlobalId('Organisation', org.id),
    );

    routes = enumerateRoutes();
    graphqlPath = (t.app.get(GRAPHQL_MODULE_OPTIONS, { strict: false }) as { path?: string }).path ?? '/graphql';
    schema = t.app.get(GraphQLSchemaHost).schema;
    await newSession();
    await harvestFormFields();
    samlMessages = samlCorpus();
  });
  afterAll(async () => {
    if (slow.length) console.log(slow.join('\n'));
    await t?.close();
  });

  // ---------------------------------------------------------------------------------------------------------------
  // The entry points, read from the running app

  /** Every method and path the app's router answers (the Express router stack Nest registered its routes on). */
  function enumerateRoutes(): Route[] {
    const express = t.app.getHttpAdapter().getInstance() as { router?: { stack: unknown[] }; _router?: { stack: unknown[] } };
    const stack = (express.router ?? express._router)!.stack as { route?: { path: string; methods: Record<string, boolean> } }[];
    const found = new Map<string, Route>();
    for (const layer of stack) {
      if (!layer.route) continue;
      const path = layer.route.path.length > 1 ? layer.route.path.replace(/\/$/, '') : layer.route.path;
      for (const method of Object.keys(layer.route.methods)) {
        const upper = method.toUpperCase() as Route['method'];
        if (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(upper)) found.set(`${upper} ${path}`, { method: upper, path });
      }
    }
    return [...found.values()].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
  }

  it('finds the entry points from the running app', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    // A few that must be there; everything else the router has is tested too.
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /health',
        'POST /auth/saml/:org/acs',
        'GET /auth/saml/:org/slo',
        'POST /auth/saml/:org/slo',
        'GET /auth/saml/:org/metadata',
        'GET /feeds/practices.atom',
        'POST /unsubscribe/:token',
        'POST /practices/new',
        'POST /organisation/identity-providers',
        'GET /demo-idp/sso',
        'POST /demo-idp/respond',
      ]),
    );
    expect(routes.length).toBeGreaterThan(80);
    expect(graphqlPath).toBe('/graphql');
    expect(Object.keys(schema.getMutationType()!.getFields()).length).toBeGreaterThan(15);
  });

  // ---------------------------------------------------------------------------------------------------------------
  // Sessions, requests and the checks every answer must pass

  async function newSession(): Promise<void> {
    const { cookie } = await t.app
      .get(SessionService)
      .start(admin.member, { identityProviderId: null, nameId: null, sessionIndex: null, userAgent: 'robustness' });
    sessionCookie = cookie;
    const page = await fetch(`${t.baseUrl}/practices/new`, { headers: { cookie: `${SESSION_COOKIE}=${encodeURIComponent(cookie)}`, accept: 'text/html' } });
    csrfToken = csrfTokenOf(await page.text())!;
    expect(csrfToken).toBeTruthy();
    lastSnapshot = undefined;
  }

  /** Reads every GET page as the admin, with real ids, and keeps the field names of each form by its action. */
  async function harvestFormFields(): Promise<void> {
    for (const route of routes.filter((r) => r.method === 'GET' && !r.path.startsWith('/assets'))) {
      for (const filled of fillWithRealValues(route.path)) {
        const response = await fetch(`${t.baseUrl}${filled}`, {
          headers: { cookie: `${SESSION_COOKIE}=${encodeURIComponent(sessionCookie)}`, accept: 'text/html' },
          redirect: 'manual',
        });
        const html = await response.text();
        for (const form of html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
          const action = form[1]!.replace(/&amp;/g, '&').split('?')[0]!;
          const names = [...form[2]!.matchAll(/name="([^"]+)"/g)].map((m) => m[1]!).filter((n) => n !== '_csrf');
          formFields.set(action, [...new Set([...(formFields.get(action) ?? []), ...names])]);
        }
      }
    }
    expect(formFields.size).toBeGreaterThan(10);
  }

  /** The route's path with each parameter replaced by each real value in turn (bounded), for reading the forms. */
  function fillWithRealValues(path: string): string[] {
    if (!PARAM.test(path)) return [fillPath(path, [])];
    return [...new Set(realValues.map((value) => fillPath(path, [encodeURIComponent(value)])))];
  }

  function credentials(identity: Identity): Record<string, string> {
    if (identity === 'token') return { authorization: `Bearer ${admin.token}` };
    if (identity === 'session') return { cookie: `${SESSION_COOKIE}=${encodeURIComponent(sessionCookie)}` };
    if (identity === 'forged') return forgedCredentials();
    return {};
  }

  /** Header values made of random printable text (headers cannot carry control characters). */
  function forgedCredentials(): Record<string, string> {
    const pick = <T>(items: T[]): T => items[randomBytes(1)[0]! % items.length]!;
    const junk = () =>
      pick([
        randomBytes(8).toString('hex'),
        '%E0%A4%A',
        '%ZZ',
        'pe_',
        `pe_${randomBytes(4).toString('hex')}_`,
        `pe_x_${'a'.repeat(3000)}`,
        admin.token.slice(0, -2) + 'zz',
        `${admin.token}x`,
        '',
        'Bearer',
        '"',
        ';;=',
        randomBytes(12).toString('base64'),
      ]);
    return pick<Record<string, string>>([
      { authorization: `Bearer ${junk()}` },
      { authorization: pick(['Basic dXNlcjpwYXNz', 'Bearer', 'bearer  ', `Token ${junk()}`]) },
      { cookie: `${SESSION_COOKIE}=${junk()}` },
      { cookie: `${SESSION_COOKIE}=${junk()}; ${SESSION_COOKIE}=${junk()}; pe_browser=${junk()}; pe_lang=${junk()}` },
      { authorization: `Bearer ${junk()}`, cookie: `${SESSION_COOKIE}=${encodeURIComponent(sessionCookie)}` },
    ]);
  }

  async function snapshot(): Promise<Record<string, string>> {
    const rows = (await t.dataSource.query(SNAPSHOT_SQL)) as Record<string, string>[];
    return rows[0]!;
  }

  /**
   * Sends one request and checks its answer: below 500, and a refusal in our words. A refusal must leave the content
   * tables as they were. Returns the answer for the caller's own checks.
   */
  /** The database as it was after the last request; a refused request must leave it so. */
  let lastSnapshot: Record<string, string> | undefined;
  const slow: string[] = [];
  /** How many answers of each status the current property got: it must reach past the refusals at the door. */
  const statuses = new Map<number, number>();
  const titles = new Set<string>();

  async function sendAndCheck(
    sent: Sent,
    body: BodyInit | undefined,
    refused: (answer: Answer) => boolean = (answer) => answer.status >= 400,
  ): Promise<Answer> {
    const before = lastSnapshot ?? (await snapshot());
    const started = Date.now();
    let response: Response;
    try {
      response = await fetch(`${t.baseUrl}${sent.path}`, { method: sent.method, headers: sent.headers, body, redirect: 'manual' });
    } catch (error) {
      // The server may close the connection of a request it refused before reading all of it (a body over the limit).
      lastSnapshot = undefined;
      const health = await fetch(`${t.baseUrl}/health`);
      expect({ sent: describeSent(sent), closed: String(error), health: health.status }).toEqual({
        sent: describeSent(sent),
        closed: String(error),
        health: 200,
      });
      return { status: 0, contentType: '', text: '' };
    }
    const answer: Answer = { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    if (process.env.FC_TIMING === '1')
      titles.add(
        `${answer.status} ${sent.method} ${sent.path.split('?')[0]!.replace(/\/[^/]{20,}/g, '/…')} ${/<title>([^<]*)/.exec(answer.text)?.[1] ?? answer.text.slice(0, 80)}`,
      );
    if (process.env.FC_TIMING === '1' && Date.now() - started > 250) slow.push(`${Date.now() - started} ms: ${describeSent(sent).slice(0, 200)}`);
    const problems = problemsOf(answer);
    const after = await snapshot();
    lastSnapshot = after;
    if (refused(answer)) {
      const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
      if (changed.length > 0) problems.push(`refused (${answer.status}) but wrote to ${changed.join(', ')}`);
    }
    if (problems.length > 0) {
      throw new Error(`${problems.join('; ')}\nrequest: ${describeSent(sent)}\nanswer: ${answer.status} ${answer.contentType}\n${answer.text.slice(0, 600)}`);
    }
    if (sent.identity === 'session' && /sign-out|logout|deactivate|roles/.test(sent.path)) await refreshSessionIfEnded();
    return answer;
  }

  async function refreshSessionIfEnded(): Promise<void> {
    const check = await fetch(`${t.baseUrl}/tokens`, {
      headers: { cookie: `${SESSION_COOKIE}=${encodeURIComponent(sessionCookie)}`, accept: 'text/html' },
      redirect: 'manual',
    });
    await check.text();
    if (check.status !== 200) await newSession();
  }

  function describeSent(sent: Sent): string {
    return `${sent.method} ${sent.path.slice(0, 300)} as ${sent.identity}, ${sent.bodyKind} body ${JSON.stringify(sent.bodyPreview.slice(0, 300))}, headers ${JSON.stringify(Object.fromEntries(Object.entries(sent.headers).filter(([name]) => name !== 'cookie' && name !== 'authorization')))}`;
  }

  /** What is wrong with an answer: a 5xx, or a refusal that is not in our words. */
  function problemsOf(answer: Answer): string[] {
    const problems: string[] = [];
    if (answer.status >= 500) problems.push(`status ${answer.status}`);
    if (
      INTERNALS.test(answer.text) &&
      !answer.contentType.startsWith('application/atom') &&
      !answer.contentType.includes('samlmetadata') &&
      !answer.contentType.startsWith('text/css') &&
      !answer.contentType.includes('javascript') &&
      answer.status >= 300
    ) {
      problems.push(`internal text in the answer: ${INTERNALS.exec(answer.text)![0]}`);
    }
    if (answer.status >= 400) {
      if (answer.contentType.includes('json')) {
        let body: { error?: { code?: unknown; message?: unknown }; errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | undefined;
        try {
          body = JSON.parse(answer.text) as typeof body;
        } catch {
          problems.push('a JSON refusal that is not JSON');
        }
        const error = body?.error ?? (body?.errors?.[0] ? { code: body.errors[0].extensions?.code, message: body.errors[0].message } : undefined);
        if (typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message.length < 10)
          problems.push('a JSON refusal without a code and a message');
      } else if (answer.contentType.includes('html')) {
        if (!/<title>[^<]*\S[^<]*<\/title>/.test(answer.text) || !/<(h1|p)[^>]*>[^<]*\w{3}/.test(answer.text))
          problems.push('an HTML refusal without a title and a sentence');
      } else if (answer.contentType.startsWith('text/plain')) {
        if (answer.text.trim().length < 10) problems.push('a text refusal without a sentence');
      } else {
        problems.push(`a refusal of type ${JSON.stringify(answer.contentType)}`);
      }
    }
    return problems;
  }

  async function expectHealthy(): Promise<void> {
    const health = await fetch(`${t.baseUrl}/health`);
    expect(health.status).toBe(200);
  }

  /**
   * Runs a property with the fixed seed. On failure the report names the seed and path that reproduce it (FC_SEED,
   * and fast-check's `path`) and what went wrong, without fast-check's dump of a possibly megabyte-long input. With
   * FC_COLLECT=1 every run is made and every distinct failure listed, to see all of them at once.
   */
  async function assertProperty<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, numRuns: number): Promise<void> {
    const collected = new Map<string, string>();
    statuses.clear();
    const details = await fc.check(
      fc.asyncProperty(arbitrary, async (value) => {
        if (process.env.FC_COLLECT !== '1') return predicate(value);
        try {
          await predicate(value);
        } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          const key = text
            .split('\n')
            .slice(0, 2)
            .join(' ')
            .replace(/\/[^ ]*/g, '/…')
            .slice(0, 200);
          if (!collected.has(key)) collected.set(key, text);
        }
      }),
      // endOnFailure: shrinking would re-send requests for minutes; the seed and path reproduce the failure as it is.
      { seed: SEED, numRuns: runs(numRuns), endOnFailure: true },
    );
    if (details.failed) {
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(
        `Property failed (seed ${details.seed}, path "${details.counterexamplePath}"; rerun with FC_SEED=${details.seed}):\n${cause.slice(0, 4000)}`,
      );
    }
    if (collected.size > 0)
      throw new Error(`${collected.size} distinct failures (seed ${SEED}):\n\n${[...collected.values()].map((text) => text.slice(0, 1500)).join('\n\n')}`);
    if (process.env.FC_TIMING === '1')
      console.log(
        `${[...statuses]
          .sort()
          .map(([status, n]) => `${status}: ${n}`)
          .join(', ')}\n${[...titles].sort().join('\n')}`,
      );
    titles.clear();
  }

  /** The share of answers with one of `wanted` statuses in the last property run. */
  function shareOf(...wanted: number[]): number {
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    return wanted.reduce((n, status) => n + (statuses.get(status) ?? 0), 0) / Math.max(1, total);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Arbitraries

  const junkText = fc
    .oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(
        '',
        ' ',
        '\u0000',
        'a\u0000b',
        '\uFFFF',
        '💥'.repeat(30),
        '%',
        '%ZZ',
        '%00',
        '%C0%AF',
        '../../etc/passwd',
        '<script>alert(1)</script>',
        "'; drop table practice; --",
        'null',
        'undefined',
        '[]',
        '{}',
        '-1',
        '0',
        '1e309',
        '99999999999999999999',
        '2147483648',
        'NaN',
        'true',
        '__proto__',
        'constructor',
      ),
      fc.integer({ min: 1, max: 6000 }).map((n) => 'x'.repeat(n)),
    )
    .map(wellFormed);

  /** Values a form could take, so that some posts pass validation and the rest fail it field by field. */
  const plausibleText = fc.constantFrom(
    'Plain words about elections',
    'https://example.org/guide',
    'CONTRIBUTOR',
    'TLP_GREEN',
    'TLP_AMBER',
    'on',
    'DAILY',
    'EMAIL',
    'ATOM',
    'Europe/London',
    '9',
    '1',
    'phishing',
    'HIDE',
    'DISMISS',
    'OTHER',
    'READ',
    'en',
    'GB',
    'UK_COUNCIL',
  );

  /** A path parameter: a real id, random text (encoded, or raw percent junk), or something huge. */
  const pathValue = () =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...realValues).map(encodeURIComponent) },
      { weight: 3, arbitrary: junkText.map((s) => encodeURIComponent(s)) },
      { weight: 1, arbitrary: fc.constantFrom('%ZZ', '%', '%00', '%C0%AF', '%E0%A4%A', '..', '.', '%2e%2e', 'a%2Fb') },
    );

  /** A query string with random and known parameter names, repeated names (arrays) and bracket syntax. */
  const queryString = fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(
            'first',
            'after',
            'before',
            'page',
            'q',
            'query',
            'lang',
            'returnTo',
            'idp',
            'tag',
            'tags',
            'status',
            'visibility',
            'org',
            'SAMLRequest',
            'SAMLResponse',
            'RelayState',
            'SigAlg',
            'Signature',
            'sort',
            'order',
            'kind',
            'country',
            'token',
            'a[b]',
            'a[]',
            '__proto__[x]',
          ),
          fc.string({ maxLength: 10 }),
        ),
        junkText,
      ),
      { maxLength: 6 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(v)}`).join('&'));

  const contentTypes = fc.constantFrom(
    'application/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    'multipart/form-data; boundary=xyz',
    'text/xml',
    'application/xml',
    'text/plain',
    'application/octet-stream',
    'application/json; charset=utf-16',
    'application/x-www-form-urlencoded; charset=latin1',
    'application/graphql',
    'application/json; charset=klingon',
    'garbage',
    ';;;',
  );

  interface BodyChoice {
    kind: string;
    contentType: string | undefined;
    body: Buffer | string | undefined;
  }

  /** Bodies of every shape: none, form fields (known and random), JSON, broken JSON, XML, bytes, over the limits. */
  function bodies(fieldNames: string[]): fc.Arbitrary<BodyChoice> {
    const names = fc.oneof(
      fc.constantFrom(...(fieldNames.length ? fieldNames : ['name']), 'SAMLResponse', 'RelayState'),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('a[b]', 'a[][c]', '__proto__', 'x'.repeat(300)),
    );
    const fields = fc.array(fc.tuple(names, junkText), { maxLength: 12 });
    const formBody = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    return fc.oneof(
      fc.constant<BodyChoice>({ kind: 'none', contentType: undefined, body: undefined }),
      fields.map((pairs) => ({ kind: 'form', contentType: 'application/x-www-form-urlencoded', body: formBody(pairs) })),
      fields.map((pairs) => ({ kind: 'form, duplicated fields', contentType: 'application/x-www-form-urlencoded', body: formBody([...pairs, ...pairs]) })),
      fields.map((pairs) => ({
        kind: 'form, raw percent junk',
        contentType: 'application/x-www-form-urlencoded',
        body: `${formBody(pairs)}&${fieldNames[0] ?? 'a'}=%ZZ%E0%A4%A%00&b=%C0%AF`,
      })),
      fc.jsonValue({ maxDepth: 4 }).map((value) => ({ kind: 'json', contentType: 'application/json', body: JSON.stringify(value) })),
      fields.map((pairs) => ({ kind: 'json object', contentType: 'application/json', body: JSON.stringify(Object.fromEntries(pairs)) })),
      fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat({ max: 50 })).map(([value, cut]) => {
        const text = JSON.stringify(value);
        return {
          kind: 'broken json',
          contentType: 'application/json',
          body: `${text.slice(0, Math.max(0, text.length - 1 - (cut % Math.max(1, text.length))))}{"`,
        };
      }),
      fc
        .nat({ max: 3000 })
        .map((depth) => ({ kind: 'deeply nested json', contentType: 'application/json', body: `${'['.repeat(depth + 1)}${']'.repeat(depth + 1)}` })),
      fc.constantFrom(100_000, 400_000).map((depth) => ({
        kind: 'json nested to the size limit',
        contentType: 'application/json',
        body: `{"query":"{ me { id } }","variables":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
      })),
      fc.uint8Array({ maxLength: 300 }).chain((bytes) => contentTypes.map((contentType) => ({ kind: 'random bytes', contentType, body: Buffer.from(bytes) }))),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => ({
        kind: 'multipart junk',
        contentType: 'multipart/form-data; boundary=----b',
        body: Buffer.concat([Buffer.from('------b\r\nContent-Disposition: form-data; name="metadataFile"; filename="x.xml"\r\n\r\n'), Buffer.from(bytes)]),
      })),
      fields.map((pairs) => ({
        kind: 'multipart form',
        contentType: 'multipart/form-data; boundary=----b',
        body: `${pairs.map(([k, v]) => `------b\r\nContent-Disposition: form-data; name="${k.replace(/["\r\n]/g, '')}"\r\n\r\n${v}\r\n`).join('')}------b--\r\n`,
      })),
      fc.constantFrom<BodyChoice>(
        { kind: 'json over 1 MB', contentType: 'application/json', body: JSON.stringify({ query: '{ me { id } }', pad: 'x'.repeat(1_100_000) }) },
        { kind: 'form over 100 kB', contentType: 'application/x-www-form-urlencoded', body: `title=${'x'.repeat(120_000)}` },
        {
          kind: 'form with too many fields',
          contentType: 'application/x-www-form-urlencoded',
          body: Array.from({ length: 1500 }, (_, i) => `f${i}=1`).join('&'),
        },
        { kind: 'xml bomb', contentType: 'text/xml', body: XML_BOMB },
        {
          kind: 'invalid utf-8 form',
          contentType: 'application/x-www-form-urlencoded',
          body: Buffer.concat([Buffer.from('title='), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x00])]),
        },
        {
          kind: 'invalid utf-8 json',
          contentType: 'application/json',
          body: Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]),
        },
      ),
    );
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 1. Every route, every identity, random paths, queries, bodies and content types

  it(
    'answers random requests at every route with a clear 4xx or a success, never a 5xx',
    async () => {
      const request = fc
        .record({
          routeIndex: fc.nat({ max: routes.length - 1 }),
          identity: fc.constantFrom(...IDENTITIES),
          withCsrf: fc.boolean(),
          params: fc.array(pathValue(), { minLength: 3, maxLength: 3 }),
          query: fc.option(queryString, { nil: undefined }),
          accept: fc.constantFrom('text/html', 'application/json', '*/*', undefined, 'image/png'),
          methodOverride: fc.option(fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS'), { freq: 10, nil: undefined }),
        })
        .chain((r) => {
          const route = routes[r.routeIndex]!;
          return bodies(fieldsFor(route.path)).map((body) => ({ ...r, route, body }));
        });
      let count = 0;
      await assertProperty(
        request,
        async (r) => {
          let path = fillPath(r.route.path, r.params);
          if (r.query) path += `?${r.query}`;
          let body = r.body;
          if (r.withCsrf && r.identity === 'session' && body.contentType === 'application/x-www-form-urlencoded' && typeof body.body === 'string') {
            body = { ...body, body: `_csrf=${encodeURIComponent(csrfToken)}&${body.body}` };
          }
          // JSON to a page, with the form's token in it: the token passes, so the values' types are what is tested.
          if (r.withCsrf && r.identity === 'session' && body.kind === 'json object' && typeof body.body === 'string') {
            body = { ...body, body: JSON.stringify({ ...(JSON.parse(body.body) as object), _csrf: csrfToken }) };
          }
          const method = r.methodOverride ?? r.route.method;
          const headers: Record<string, string> = {
            ...credentials(r.identity),
            ...(r.accept ? { accept: r.accept } : {}),
            ...(body.contentType ? { 'content-type': body.contentType } : {}),
          };
          const sendsBody = method !== 'GET' && method !== 'OPTIONS' && body.body !== undefined;
          await sendAndCheck(
            {
              method,
              path,
              identity: r.identity,
              headers,
              bodyKind: sendsBody ? body.kind : 'none',
              bodyPreview: sendsBody ? String(body.body).slice(0, 300) : '',
            },
            sendsBody ? (body.body as BodyInit) : undefined,
          );
          if (++count % 50 === 0) await expectHealthy();
        },
        1200,
      );
      await expectHealthy();
    },
    PROPERTY_TIMEOUT,
  );

  function fieldsFor(path: string): string[] {
    const pattern = new RegExp(`^${fillPath(path.replace(/[.]/g, '\\.'), ['[^/]+'])}$`);
    return [...formFields].filter(([action]) => pattern.test(action)).flatMap(([, names]) => names);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // 2. Signed-in forms with a valid session and CSRF token but malformed fields: refused whole, never half-written

  it(
    'refuses malformed fields in signed-in forms with a clear answer, writing nothing when it refuses',
    async () => {
      const posts = routes.filter((r) => r.method === 'POST' && fieldsFor(r.path).length > 0);
      expect(posts.length).toBeGreaterThan(10);
      const form = fc
        .record({
          routeIndex: fc.nat({ max: posts.length - 1 }),
          params: fc.array(fc.constantFrom(...realValues.map(encodeURIComponent)), { minLength: 3, maxLength: 3 }),
          values: fc.array(fc.tuple(fc.boolean(), fc.oneof(junkText, plausibleText)), { minLength: 30, maxLength: 30 }),
          extra: fc.array(fc.tuple(fc.string({ maxLength: 8 }), junkText), { maxLength: 3 }),
          multipart: fc.boolean(),
          file: fc.oneof(
            junkText,
            fc.constantFrom(
              XML_BOMB,
              `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&e;"/>`,
              '<md:EntityDescriptor xmlns:md="urn:example:wrong" entityID="https://idp.example/"/>',
              '<EntityDescriptor entityID="x"><IDPSSODescriptor/></EntityDescriptor>',
              `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example/">${'<md:Extensions/>'.repeat(20_000)}</md:EntityDescriptor>`,
              '<a>'.repeat(50_000),
            ),
          ),
        })
        .map((r) => ({ ...r, route: posts[r.routeIndex]! }));
      let count = 0;
      await assertProperty(
        form,
        async (r) => {
          const path = fillPath(r.route.path, r.params);
          const names = fieldsFor(r.route.path);
          const pairs: [string, string][] = names.map((name, i) => [name, r.values[i % r.values.length]![1]]);
          // Some fields twice: `?a=1&a=2` arrays where handlers expect one string.
          names.forEach((name, i) => (r.values[i % r.values.length]![0] && i % 3 === 0 ? pairs.push([name, 'second']) : undefined));
          pairs.push(...r.extra);
          const upload = r.multipart && /identity-providers$/.test(r.route.path);
          let body: BodyInit;
          let headers: Record<string, string> = { ...credentials('session'), accept: 'text/html' };
          if (upload) {
            const data = new FormData();
            data.append('_csrf', csrfToken);
            for (const [k, v] of pairs) data.append(k, v);
            data.append('metadataFile', new Blob([r.file]), 'metadata.xml');
            body = data;
          } else {
            body = [['_csrf', csrfToken] as [string, string], ...pairs].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
            headers = { ...headers, 'content-type': 'application/x-www-form-urlencoded' };
          }
          const answer = await sendAndCheck(
            {
              method: 'POST',
              path,
              identity: 'session',
              headers,
              bodyKind: upload ? 'multipart form' : 'form',
              bodyPreview: JSON.stringify(pairs).slice(0, 300),
            },
            body,
          );
          // A valid token was sent: a "form expired" answer would mean the test no longer reaches the validation.
          if (answer.status === 403 && answer.text.includes('expired')) await newSession();
          if (++count % 50 === 0) await expectHealthy();
        },
        600,
      );
      // The valid session and CSRF token carried the posts past the door, to the forms' validation.
      expect(shareOf(400)).toBeGreaterThan(0.3);
      await expectHealthy();
    },
    PROPERTY_TIMEOUT,
  );

  // ---------------------------------------------------------------------------------------------------------------
  // 3. GraphQL: broken documents, deep nesting, aliases, every field with random and wrong-typed arguments

  /** A random value for an input type: mostly of the right shape with hostile content, sometimes of the wrong type. */
  function inputValue(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
    const wrong = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(null));
    if (isNonNullType(type)) return fc.oneof({ weight: 9, arbitrary: inputValue(type.ofType, depth) }, { weight: 1, arbitrary: wrong });
    if (isListType(type))
      return fc.oneof(
        { weight: 9, arbitrary: fc.array(inputValue(type.ofType as GraphQLInputType, depth + 1), { maxLength: depth > 2 ? 1 : 4 }) },
        { weight: 1, arbitrary: wrong },
      );
    if (isEnumType(type))
      return fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) }, { weight: 1, arbitrary: junkText });
    if (isInputObjectType(type)) {
      if (depth > 3) return fc.constant({});
      const fields = Object.values(type.getFields());
      return fc.record(Object.fromEntries(fields.map((f) => [f.name, inputValue(f.type, depth + 1)])), {
        requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name),
      });
    }
    const named = getNamedType(type).name;
    if (named === 'Int')
      return fc.oneof(
        fc.integer({ min: -5, max: 150 }),
        fc.constantFrom(2_147_483_647, 2_147_483_648, -2_147_483_649, 1e300, 0.5, Number.MAX_SAFE_INTEGER),
        wrong,
      );
    if (named === 'Float') return fc.oneof(fc.double({ noNaN: true }), wrong);
    if (named === 'Boolean') return fc.oneof(fc.boolean(), wrong);
    if (named === 'ID')
      return fc.oneof(
        fc.constantFrom(...realGlobalIds),
        junkText,
        fc
          .constantFrom(...realGlobalIds)
          .map((id) => Buffer.from(`${Buffer.from(id, 'base64url').toString().split(':')[0]}:${randomText()}`).toString('base64url')),
      );
    return fc.oneof(
      { weight: 5, arbitrary: junkText },
      { weight: 2, arbitrary: fc.constantFrom(...realGlobalIds) },
      { weight: 1, arbitrary: fc.constantFrom(...realValues) },
      { weight: 1, arbitrary: wrong },
    );
  }

  const randomText = () => randomBytes(6).toString('hex');

  /** A selection for a field's result: `__typename`, and `id` where there is one. */
  function selectionFor(field: GraphQLField<unknown, unknown>): string {
    const type = getNamedType(field.type);
    if (isObjectType(type) || isInterfaceType(type))
      return `{ __typename${'id' in type.getFields() ? ' id' : ''}${'edges' in type.getFields() ? ' edges { cursor }' : ''} }`;
    if (isUnionType(type)) return '{ __typename }';
    return '';
  }

  /** One operation on one random root field, its arguments as variables. */
  function operation(kind: 'query' | 'mutation'): fc.Arbitrary<{ query: string; variables: Record<string, unknown>; field: string }> {
    const root = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
    const fields = Object.values(root.getFields());
    return fc.constantFrom(...fields).chain((field) => {
      const args = field.args;
      const declared = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
      const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const query = `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${selectionFor(field)} }`;
      return fc
        .record(Object.fromEntries(args.map((a) => [a.name, inputValue(a.type)])), { requiredKeys: [] })
        .map((variables) => ({ query, variables, field: field.name }));
    });
  }

  /** Documents that are broken, nested, aliased or unknown. */
  const brokenDocument = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc
      .tuple(
        fc.constantFrom(
          '{ practices(first: 5) { edges { node { id title organisation { slug } } } } }',
          'mutation { createPractice(input: {}) { id } }',
          '{ me { id organisation { slug } } }',
        ),
        fc.nat({ max: 80 }),
        junkText,
      )
      .map(([q, cut, junk]) => q.slice(0, cut) + junk),
    fc.nat({ max: 20_000 }).map((depth) => `${'{ a '.repeat(depth)}${'}'.repeat(depth)}`),
    fc
      .nat({ max: 3_000 })
      .map(
        (depth) =>
          `query { ${'organisation(slug: "x") { practices { edges { node { '.repeat(Math.min(depth, 60))}id${' } } } }'.repeat(Math.min(depth, 60))} }`,
      ),
    fc
      .integer({ min: 1, max: 5_000 })
      .map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: practices(first: 100) { edges { node { id } } }`).join(' ')} }`),
    fc.integer({ min: 1, max: 20_000 }).map((n) => `{ ${'__typename '.repeat(n)}}`),
    fc.string({ maxLength: 30 }).map((name) => `{ ${name.replace(/[^A-Za-z_]/g, '') || 'nothing'} { secret } }`),
    fc.constantFrom(
      '{ __schema { types { name fields { name } } } }',
      'query A { me { id } } query B { me { id } }',
      'subscription { x }',
      'fragment F on Query { ...F } { ...F }',
      '{ practice(id: 1) { id } }',
      '{ practices(first: 1e999) { edges { cursor } } }',
      '{ practices(first: 2147483648) { edges { cursor } } }',
      '{ practices(first: 100, after: "\\u0000") { edges { cursor } } }',
    ),
  );

  /** A GraphQL answer that refused: an HTTP error, or errors with no field answered (a resolver's refusal is a 200). */
  function graphqlRefused(answer: Answer): boolean {
    if (answer.status >= 400) return true;
    if (!answer.contentType.includes('json')) return false;
    const body = JSON.parse(answer.text) as { data?: Record<string, unknown> | null; errors?: unknown[] };
    return !!body.errors?.length && Object.values(body.data ?? {}).every((value) => value === null);
  }

  it(
    'answers random and wrong GraphQL with a JSON error and a code, never a 5xx, writing nothing when it refuses',
    async () => {
      const call = fc.record({
        identity: fc.constantFrom(...IDENTITIES),
        operation: fc.oneof(
          { weight: 3, arbitrary: operation('query') },
          { weight: 4, arbitrary: operation('mutation') },
          { weight: 3, arbitrary: brokenDocument.map((query) => ({ query, variables: {} as Record<string, unknown>, field: '(document)' })) },
        ),
        envelope: fc.oneof(
          { weight: 8, arbitrary: fc.constant('plain') },
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              'batch',
              'query not a string',
              'variables a string',
              'operationName junk',
              'get',
              'get without preflight',
              'body not an object',
              'text/plain',
              'text/plain without preflight',
              'no content type',
            ),
          },
        ),
      });
      let count = 0;
      await assertProperty(
        call,
        async ({ identity, operation: op, envelope }) => {
          let body: string | undefined = JSON.stringify({ query: op.query, variables: op.variables });
          let contentType: string | undefined = 'application/json';
          let method = 'POST';
          let path = graphqlPath;
          if (envelope === 'batch') body = JSON.stringify([{ query: op.query, variables: op.variables }, { query: op.query }]);
          if (envelope === 'query not a string') body = JSON.stringify({ query: { op: op.query }, variables: op.variables });
          if (envelope === 'variables a string') body = JSON.stringify({ query: op.query, variables: JSON.stringify(op.variables) });
          if (envelope === 'operationName junk')
            body = JSON.stringify({ query: op.query, variables: op.variables, operationName: ['x'], extensions: 'persistedQuery' });
          if (envelope === 'body not an object') body = JSON.stringify(op.query.length % 2 ? null : 42);
          if (envelope.startsWith('text/plain')) contentType = 'text/plain';
          if (envelope === 'no content type') contentType = undefined;
          if (envelope.startsWith('get')) {
            method = 'GET';
            path = `${graphqlPath}?query=${encodeURIComponent(op.query.slice(0, 4000))}&variables=${encodeURIComponent(JSON.stringify(op.variables).slice(0, 2000))}`;
            body = undefined;
          }
          // Apollo's CSRF prevention wants a preflighted request; a browser's form post is what it refuses.
          const preflight: Record<string, string> = envelope.endsWith('without preflight') ? {} : { 'apollo-require-preflight': 'true' };
          const headers: Record<string, string> = {
            ...credentials(identity),
            accept: 'application/json',
            ...preflight,
            ...(contentType ? { 'content-type': contentType } : {}),
          };
          const answer = await sendAndCheck(
            { method, path, identity, headers, bodyKind: `graphql ${envelope} (${op.field})`, bodyPreview: body ?? path },
            body,
            graphqlRefused,
          );
          if (answer.status === 200 && answer.contentType.includes('json')) {
            const parsed = JSON.parse(answer.text) as { errors?: { message: string; extensions?: { code?: string } }[] };
            for (const error of parsed.errors ?? []) {
              if (typeof error.extensions?.code !== 'string' || error.extensions.code === 'INTERNAL_SERVER_ERROR') {
                throw new Error(
                  `an error without a code or an internal one: ${JSON.stringify(error)}\nrequest: ${op.query.slice(0, 400)} ${JSON.stringify(op.variables).slice(0, 600)} as ${identity}`,
                );
              }
              if (INTERNALS.test(error.message))
                throw new Error(
                  `internal text in a GraphQL error: ${error.message}\nrequest: ${op.query.slice(0, 400)} ${JSON.stringify(op.variables).slice(0, 600)}`,
                );
            }
          }
          if (++count % 50 === 0) await expectHealthy();
        },
        1000,
      );
      await expectHealthy();
    },
    PROPERTY_TIMEOUT,
  );

  // ---------------------------------------------------------------------------------------------------------------
  // 4. SAML messages at the ACS and single logout: malformed base64, deflated junk, XML bombs, forgeries

  function samlCorpus(): { name: string; value: string }[] {
    const config = t.app.get(AppConfig);
    const base = `${config.publicUrl}/auth/saml/${samlOrg}`;
    const params = {
      acsUrl: `${base}/acs`,
      spEntityId: `${base}/metadata`,
      nameId: `someone@${samlOrg}.gov.uk`,
      nameIdFormat: NAMEID_FORMAT.emailAddress,
      attributes: { mail: `someone@${samlOrg}.gov.uk` },
    };
    const b64 = (xml: string) => Buffer.from(xml).toString('base64');
    return [
      { name: 'unsigned', value: idp.unsigned(params) },
      { name: 'signed by another key', value: idp.signedByOtherKey(params) },
      { name: 'wrapped', value: idp.wrapped(params, `admin@${samlOrg}.gov.uk`) },
      { name: 'doctype', value: idp.withDoctype(params, { referenceEntity: true }) },
      { name: 'signed for another audience', value: idp.loginResponse({ ...params, spEntityId: 'https://elsewhere.example/sp' }) },
      {
        name: 'expired',
        value: idp.loginResponse({ ...params, issueInstant: new Date(Date.now() - 3_600_000), notOnOrAfter: new Date(Date.now() - 3_000_000) }),
      },
      { name: 'xml bomb', value: b64(XML_BOMB) },
      { name: 'wrong namespace', value: b64('<samlp:Response xmlns:samlp="urn:example:not-saml" ID="_1" Version="2.0"><x/></samlp:Response>') },
      { name: 'no namespace', value: b64('<Response ID="_1" Version="2.0"><Assertion/></Response>') },
      {
        name: 'logout request unsigned',
        value: b64(
          `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_l" Version="2.0" IssueInstant="${new Date().toISOString()}"><saml:Issuer>${idp.entityId}</saml:Issuer><saml:NameID>someone</saml:NameID></samlp:LogoutRequest>`,
        ),
      },
      { name: 'deflated junk', value: deflateRawSync(randomBytes(200)).toString('base64') },
      { name: 'deflated bomb', value: deflateRawSync(Buffer.alloc(20_000_000, 'a')).toString('base64') },
      { name: 'not base64', value: '!!!not base64!!!' },
      { name: 'truncated', value: idp.unsigned(params).slice(0, 500) },
    ];
  }

  it(
    'refuses malformed and forged SAML messages at every SAML route with a clear 4xx page',
    async () => {
      const samlRoutes = routes.filter((r) => r.path.startsWith('/auth/saml') || r.path.startsWith('/demo-idp'));
      expect(samlRoutes.length).toBeGreaterThanOrEqual(6);
      const message = fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...samlMessages).map((m) => m.value) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString('base64')) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((bytes) => deflateRawSync(Buffer.from(bytes)).toString('base64')) },
        { weight: 1, arbitrary: junkText },
      );
      const request = fc.record({
        route: fc.constantFrom(...samlRoutes),
        org: fc.oneof(fc.constant(samlOrg), pathValue()),
        field: fc.constantFrom('SAMLResponse', 'SAMLRequest'),
        message,
        relayState: fc.option(junkText, { nil: undefined }),
        signature: fc.option(fc.tuple(fc.constantFrom('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'junk'), fc.base64String({ maxLength: 64 })), {
          nil: undefined,
        }),
        identity: fc.constantFrom(...IDENTITIES),
        twice: fc.boolean(),
      });
      let count = 0;
      await assertProperty(
        request,
        async (r) => {
          const pairs: [string, string][] = [[r.field, r.message]];
          if (r.twice) pairs.push([r.field, r.message]);
          if (r.relayState !== undefined) pairs.push(['RelayState', r.relayState]);
          if (r.signature) pairs.push(['SigAlg', r.signature[0]], ['Signature', r.signature[1]]);
          const encoded = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
          let path = fillPath(r.route.path, [r.org]);
          const headers: Record<string, string> = {
            ...credentials(r.identity),
            accept: 'text/html',
            cookie: [credentials(r.identity).cookie, 'pe_saml_state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'].filter(Boolean).join('; '),
          };
          let body: string | undefined;
          if (r.route.method === 'GET') path += `?${encoded}`;
          else {
            body = encoded;
            headers['content-type'] = 'application/x-www-form-urlencoded';
          }
          await sendAndCheck({ method: r.route.method, path, identity: r.identity, headers, bodyKind: 'saml', bodyPreview: encoded }, body);
          if (++count % 25 === 0) await expectHealthy();
        },
        400,
      );
      await expectHealthy();
    },
    PROPERTY_TIMEOUT,
  );
});

/** A route parameter in Express 5's path syntax: `:name`, or a wildcard `*name`. */
const PARAM = /:\w+|\*\w+/;

/**
 * A route's path with its parameters replaced by `values` in order (the last one repeated when there are fewer) and
 * the braces of optional parts (`{/*splat}`) dropped, so the part is sent.
 */
function fillPath(pattern: string, values: string[]): string {
  let i = 0;
  return pattern.replace(new RegExp(PARAM.source, 'g'), () => values[Math.min(i++, values.length - 1)] ?? 'x').replace(/[{}]/g, '');
}

/** Lone surrogates replaced: they cannot be sent in UTF-8 (encodeURIComponent throws on them). */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Billion laughs: a few hundred bytes that expand to gigabytes in a parser that expands entities. */
const XML_BOMB = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_b" Version="2.0"><x>&lol9;</x></samlp:Response>`;

/**
 * One row of fingerprints of the database: the content of every table, except the few that change by design when a
 * request is refused or merely read (rate-limit counters, session and token last-use times, the audit of refused
 * sign-ins, SAML request state), which are compared by what matters in them instead.
 */
const SNAPSHOT_SQL = `SELECT
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM practice x) AS practice,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM practice_revision x) AS practice_revision,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM practice_tag x) AS practice_tag,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM practice_audience x) AS practice_audience,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM tag x) AS tag,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM comment x) AS comment,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM adoption x) AS adoption,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM flag x) AS flag,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM organisation x) AS organisation,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM organisation_domain x) AS organisation_domain,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM member x) AS member,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM member_identity x) AS member_identity,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM identity_provider x) AS identity_provider,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM digest_subscription x) AS digest_subscription,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM digest_delivery x) AS digest_delivery,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM digest_entry x) AS digest_entry,
  (SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM saml_assertion x) AS saml_assertion,
  (SELECT md5(coalesce(string_agg((x.id, x.member_id, x.name, x.scopes, x.expires_at, x.revoked_at)::text, '|' ORDER BY x.id), '')) FROM api_token x) AS api_token,
  (SELECT md5(coalesce(string_agg((x.id, x.member_id, x.revoked_at)::text, '|' ORDER BY x.id), '')) FROM session x) AS session,
  (SELECT count(*)::text FROM audit_event WHERE action <> 'SIGN_IN_REFUSED') AS audit_event`;
