import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { createDataSource } from '#database';
import { ApiTokenService, TokenScope } from '#identity';
import type { DataSource } from 'typeorm';
import { runCli } from '../../apps/cli/src/run-cli.js';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';
import { CLI_APP_SECRET, openCliContext, type CliContext } from '../support/cli-context.js';
import { freshDatabaseUrl } from '../support/database.js';
import { createSigningKey } from '../support/saml-idp.js';
import { unique } from '../support/unique.js';

/**
 * The operator CLI, run in-process against a fresh database exactly as `npm run cli -- …` runs it: the exit status,
 * what it prints, and what it leaves in the database.
 */

const APP_SECRET = CLI_APP_SECRET;
const TOKEN_FORMAT = /^pe_[0-9a-f]{32}_[0-9a-f]{64}$/;
const DAY = 86_400_000;

interface CliRun {
  status: number;
  out: string[];
  err: string[];
  stderr: string;
}

describe('operator CLI', () => {
  let context: CliContext;
  let url: string;
  let dataSource: DataSource;
  let app: INestApplicationContext;

  beforeAll(async () => {
    context = await openCliContext();
    ({ url, dataSource, app } = context);
  });
  afterAll(async () => {
    await context?.close();
  });

  async function cli(args: string[], env: Record<string, string | undefined> = { DATABASE_URL: url, APP_SECRET }): Promise<CliRun> {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runCli(args, { out: (line) => out.push(line), err: (line) => err.push(line), env });
    return { status, out, err, stderr: err.join('\n') };
  }

  /** Row counts of every table the CLI writes to. */
  async function counts(): Promise<Record<string, number>> {
    const [row] = await dataSource.query(`SELECT
      (SELECT count(*)::int FROM organisation) AS organisations,
      (SELECT count(*)::int FROM organisation_domain) AS domains,
      (SELECT count(*)::int FROM member) AS members,
      (SELECT count(*)::int FROM api_token) AS tokens,
      (SELECT count(*)::int FROM audit_event) AS audit`);
    return row;
  }

  /** An organisation and a member, made through the CLI itself. */
  async function orgWithMember(roles = 'CONTRIBUTOR'): Promise<{ slug: string; email: string; memberId: string }> {
    const slug = `org-${unique()}`;
    const org = await cli([
      'org:create',
      '--slug',
      slug,
      '--name',
      `Council ${slug}`,
      '--kind',
      'UK_COUNCIL',
      '--country',
      'GB',
      '--domains',
      `${slug}.gov.uk`,
    ]);
    expect(org.status).toBe(0);
    const email = `officer@${slug}.gov.uk`;
    const member = await cli(['member:create', '--org', slug, '--email', email, '--name', 'A. Officer', '--roles', roles]);
    expect(member.status).toBe(0);
    const [row] = await dataSource.query('SELECT id FROM member WHERE email = $1', [email]);
    return { slug, email, memberId: row.id };
  }

  it('db:migrate on a migrated database says it is up to date', async () => {
    const run = await cli(['db:migrate']);
    expect(run.status).toBe(0);
    expect(run.out).toEqual(['The database is up to date.']);
    expect(run.err).toEqual([]);
  });

  it('org:create with the flags the README shows creates the organisation and its domain', async () => {
    const run = await cli([
      'org:create',
      '--slug',
      'kent',
      '--name',
      'Kent County Council',
      '--kind',
      'UK_COUNCIL',
      '--country',
      'GB',
      '--domains',
      'kent.gov.uk',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.out.join('\n')).toContain('kent');
    const orgs = await dataSource.query("SELECT id, slug, name, kind, country, region FROM organisation WHERE slug = 'kent'");
    expect(orgs).toEqual([{ id: expect.any(String), slug: 'kent', name: 'Kent County Council', kind: 'UK_COUNCIL', country: 'GB', region: null }]);
    const domains = await dataSource.query("SELECT domain, organisation_id FROM organisation_domain WHERE domain = 'kent.gov.uk'");
    expect(domains).toEqual([{ domain: 'kent.gov.uk', organisation_id: orgs[0].id }]);
    const audit = await dataSource.query('SELECT action FROM audit_event WHERE subject_id = $1', [orgs[0].id]);
    expect(audit).toEqual([{ action: 'ORGANISATION_CREATED' }]);
  });

  it('member:create adds the member to the organisation with the roles given', async () => {
    const slug = `org-${unique()}`;
    expect(
      (await cli(['org:create', '--slug', slug, '--name', 'A Council', '--kind', 'UK_COUNCIL', '--country', 'gb', '--domains', `${slug}.gov.uk`])).status,
    ).toBe(0);
    const run = await cli(['member:create', '--org', slug, '--email', `Officer@${slug}.gov.uk`, '--name', 'A. Officer', '--roles', 'CONTRIBUTOR,MODERATOR']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const rows = await dataSource.query(
      'SELECT m.email, m.name, m.roles::text[] AS roles, o.slug, o.country FROM member m JOIN organisation o ON o.id = m.organisation_id WHERE o.slug = $1',
      [slug],
    );
    expect(rows).toEqual([{ email: `officer@${slug}.gov.uk`, name: 'A. Officer', roles: ['CONTRIBUTOR', 'MODERATOR'], slug, country: 'GB' }]);
  });

  it('token:create prints the token as the last line of stdout, and that token authenticates as the member', async () => {
    const { email, memberId } = await orgWithMember();
    const startedAt = Date.now();
    const run = await cli(['token:create', '--email', email, '--name', 'ci', '--scopes', 'read,write']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const token = run.out[run.out.length - 1]!;
    expect(token).toMatch(TOKEN_FORMAT);
    expect(run.out.slice(0, -1).join('\n')).not.toContain(token);

    const actor = await app.get(ApiTokenService).authenticate(token);
    expect(actor.memberId).toBe(memberId);
    expect([...actor.scopes!].sort()).toEqual([TokenScope.READ, TokenScope.WRITE]);
    // Without --expires-in: the 90-day default.
    expect(Math.abs(actor.tokenExpiresAt!.getTime() - (startedAt + 90 * DAY))).toBeLessThan(60_000);
    const [row] = await dataSource.query('SELECT name, created_by_token_id FROM api_token WHERE member_id = $1', [memberId]);
    expect(row).toEqual({ name: 'ci', created_by_token_id: null });
  });

  it('token:create --expires-in 30d sets the expiry about 30 days ahead', async () => {
    const { email, memberId } = await orgWithMember();
    const startedAt = Date.now();
    const run = await cli(['token:create', '--email', email, '--name', 'monthly', '--scopes', 'read', '--expires-in', '30d']);
    expect(run.status).toBe(0);
    const [row] = await dataSource.query('SELECT expires_at FROM api_token WHERE member_id = $1', [memberId]);
    expect(Math.abs((row.expires_at as Date).getTime() - (startedAt + 30 * DAY))).toBeLessThan(60_000);
    const actor = await app.get(ApiTokenService).authenticate(run.out[run.out.length - 1]!);
    expect(actor.tokenExpiresAt!.getTime()).toBe((row.expires_at as Date).getTime());
  });

  describe('refuses bad arguments with a message naming the problem, and writes nothing', () => {
    const design = (overrides: Record<string, string> = {}, drop: string[] = []) => {
      const flags: Record<string, string> = {
        slug: `org-${unique()}`,
        name: 'Kent County Council',
        kind: 'UK_COUNCIL',
        country: 'GB',
        domains: `d-${unique()}.gov.uk`,
        ...overrides,
      };
      return [
        'org:create',
        ...Object.entries(flags)
          .filter(([k]) => !drop.includes(k))
          .flatMap(([k, v]) => [`--${k}`, v]),
      ];
    };

    const cases: [string, (member: { slug: string; email: string }) => string[], RegExp[]][] = [
      ['an unknown command', () => ['org:destroy', '--slug', 'kent'], [/Unknown command/, /org:destroy/]],
      ['no command at all', () => [], [/No command/]],
      ['a missing --name', () => design({}, ['name']), [/Missing --name/]],
      ['an unknown flag', () => [...design(), '--colour', 'blue'], [/Unknown flag --colour/]],
      ['--kind NOPE', () => design({ kind: 'NOPE' }), [/--kind/, /NOPE/]],
      ['two kinds at once', () => design({ kind: 'UK_COUNCIL,OVERSEAS_AUTHORITY' }), [/--kind/]],
      ['--country GBR', () => design({ country: 'GBR' }), [/--country/]],
      [
        '--roles KING',
        (m) => ['member:create', '--org', m.slug, '--email', `another@${m.slug}.gov.uk`, '--name', 'King', '--roles', 'KING'],
        [/--roles/, /KING/],
      ],
      ['--scopes everything', (m) => ['token:create', '--email', m.email, '--name', 'ci', '--scopes', 'everything'], [/--scopes/, /everything/]],
      [
        '--expires-in forever',
        (m) => ['token:create', '--email', m.email, '--name', 'ci', '--scopes', 'read', '--expires-in', 'forever'],
        [/--expires-in/, /forever/],
      ],
    ];

    it.each(cases)('%s', async (_name, args, messages) => {
      const member = await orgWithMember();
      const before = await counts();
      const run = await cli(args(member));
      expect(run.status).not.toBe(0);
      for (const message of messages) expect(run.stderr).toMatch(message);
      expect(run.out).toEqual([]);
      expect(await counts()).toEqual(before);
    });

    it("member:create with an address outside the organisation's domains: exit 1", async () => {
      const { slug } = await orgWithMember();
      const before = await counts();
      const run = await cli(['member:create', '--org', slug, '--email', 'someone@gmail.com', '--name', 'Outsider', '--roles', 'ORG_ADMIN']);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('someone@gmail.com');
      expect(run.stderr).toContain(`${slug}.gov.uk`);
      expect(run.out).toEqual([]);
      expect(await counts()).toEqual(before);
      expect(await dataSource.query("SELECT id FROM member WHERE email = 'someone@gmail.com'")).toEqual([]);
    });

    it('token:create for an e-mail no member has: exit 1', async () => {
      await orgWithMember();
      const before = await counts();
      const run = await cli(['token:create', '--email', 'nobody@nowhere.gov.uk', '--name', 'ci', '--scopes', 'read']);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('nobody@nowhere.gov.uk');
      expect(run.out).toEqual([]);
      expect(await counts()).toEqual(before);
    });

    it('org:create with a domain another organisation owns: exit 1, and the domain stays with its owner', async () => {
      const owner = await orgWithMember();
      const before = await counts();
      const slug = `grab-${unique()}`;
      const run = await cli([
        'org:create',
        '--slug',
        slug,
        '--name',
        'Grabber',
        '--kind',
        'OTHER_PUBLIC_BODY',
        '--country',
        'GB',
        '--domains',
        `${owner.slug}.gov.uk`,
      ]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`${owner.slug}.gov.uk`);
      expect(run.out).toEqual([]);
      expect(await counts()).toEqual(before);
      expect(await dataSource.query('SELECT id FROM organisation WHERE slug = $1', [slug])).toEqual([]);
      const [domain] = await dataSource.query('SELECT o.slug FROM organisation_domain d JOIN organisation o ON o.id = d.organisation_id WHERE d.domain = $1', [
        `${owner.slug}.gov.uk`,
      ]);
      expect(domain.slug).toBe(owner.slug);
    });

    it('a malformed DATABASE_URL or a missing APP_SECRET: exit 1 naming the setting', async () => {
      const badUrl = await cli(['db:migrate'], { DATABASE_URL: 'http://127.0.0.1/practice', APP_SECRET });
      expect(badUrl.status).toBe(1);
      expect(badUrl.stderr).toContain('DATABASE_URL');
      expect(badUrl.out).toEqual([]);
      const noSecret = await cli(['db:migrate'], { DATABASE_URL: url });
      expect(noSecret.status).toBe(1);
      expect(noSecret.stderr).toContain('APP_SECRET');
      expect(noSecret.out).toEqual([]);
    });
  });

  it('in production, with a migration pending, a command other than db:migrate refuses (exit 1), says how many and changes nothing', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'pe-cli-production-'));
    const otherUrl = await freshDatabaseUrl();
    const other = await createDataSource({ url: otherUrl, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 1 }).initialize();
    try {
      const sp = await createSigningKey('sp.cli.example.gov.uk');
      writeFileSync(path.join(work, 'sp-key.pem'), sp.privateKey);
      writeFileSync(path.join(work, 'sp-cert.pem'), sp.certificate);
      const production = {
        NODE_ENV: 'production',
        DATABASE_URL: otherUrl,
        APP_SECRET,
        PUBLIC_URL: 'https://exchange.example.gov.uk',
        SAML_SP_KEY_FILE: path.join(work, 'sp-key.pem'),
        SAML_SP_CERT_FILE: path.join(work, 'sp-cert.pem'),
        DATA_DIR: work,
      };
      const [last] = await other.query('SELECT id, name FROM migrations ORDER BY id DESC LIMIT 1');
      await other.query('DELETE FROM migrations WHERE id = $1', [last.id]);
      const snapshot = async () =>
        (
          await other.query(`SELECT
            (SELECT count(*)::int FROM migrations) AS migrations,
            (SELECT count(*)::int FROM organisation) AS organisations,
            (SELECT count(*)::int FROM organisation_domain) AS domains,
            (SELECT count(*)::int FROM audit_event) AS audit`)
        )[0];
      const before = await snapshot();
      const slug = `org-${unique()}`;
      const run = await cli(
        ['org:create', '--slug', slug, '--name', `Council ${slug}`, '--kind', 'UK_COUNCIL', '--country', 'GB', '--domains', `${slug}.gov.uk`],
        production,
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('1 migration(s) are pending');
      expect(run.stderr).toContain('run db:migrate first');
      expect(run.out).toEqual([]);
      expect(await snapshot()).toEqual(before);
      expect(await other.query('SELECT id FROM organisation WHERE slug = $1', [slug])).toEqual([]);
    } finally {
      await other.destroy();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
