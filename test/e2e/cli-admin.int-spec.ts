import type { INestApplicationContext } from '@nestjs/common';
import { createDataSource } from '#database';
import { DigestChannel, DigestFrequency, DigestSubscriptionService } from '#digests';
import { Actor, ApiTokenService, IdentityError, MemberRepository, SessionService, TokenScope } from '#identity';
import type { DataSource } from 'typeorm';
import { EXIT_MIGRATIONS_PENDING, runCli } from '../../apps/cli/src/run-cli.js';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';
import { CLI_APP_SECRET, openCliContext, type CliContext } from '../support/cli-context.js';
import { freshDatabaseUrl } from '../support/database.js';
import { unique } from '../support/unique.js';

/**
 * The operator's admin commands (roles, deactivation, domains, token revocation, migration status), run in-process
 * against a fresh database exactly as `npm run cli -- …` runs them: the exit status (0 done, 1 refused, 2 usage, 3
 * migrations pending), what they print, what they leave in the database and in the audit log (no acting member: the
 * operator), and that a refusal leaves everything as it was.
 */

const APP_SECRET = CLI_APP_SECRET;

interface CliRun {
  status: number;
  out: string[];
  stderr: string;
}

describe('operator CLI: admin commands', () => {
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

  async function cli(args: string[], databaseUrl = url): Promise<CliRun> {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runCli(args, { out: (line) => out.push(line), err: (line) => err.push(line), env: { DATABASE_URL: databaseUrl, APP_SECRET } });
    return { status, out, stderr: err.join('\n') };
  }

  async function ok(...args: string[]): Promise<string> {
    const run = await cli(args);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    return run.out.join('\n');
  }

  /** Everything the commands here may change, to show that a refusal changed nothing. */
  async function state(): Promise<unknown> {
    return dataSource.query(`SELECT
      (SELECT json_agg(json_build_object('email', email, 'roles', roles::text[], 'deactivated', deactivated_at IS NOT NULL) ORDER BY email) FROM member) AS members,
      (SELECT json_agg(json_build_object('d', domain, 'o', organisation_id) ORDER BY domain) FROM organisation_domain) AS domains,
      (SELECT json_agg(json_build_object('id', id, 'revoked', revoked_at IS NOT NULL) ORDER BY id) FROM api_token) AS tokens,
      (SELECT count(*)::int FROM session WHERE revoked_at IS NULL) AS sessions,
      (SELECT count(*)::int FROM audit_event) AS audit`);
  }

  /** A refusal: the exit status, every message fragment on stderr, nothing on stdout, nothing changed. */
  async function expectRefused(args: string[], status: 1 | 2, messages: (string | RegExp)[]): Promise<void> {
    const before = await state();
    const run = await cli(args);
    expect(run.status).toBe(status);
    for (const message of messages) expect(run.stderr).toMatch(message);
    if (status === 2) expect(run.stderr).toContain('Usage:');
    expect(run.out).toEqual([]);
    expect(await state()).toEqual(before);
  }

  async function newOrg(): Promise<{ slug: string; domain: string }> {
    const slug = `org-${unique()}`;
    await ok('org:create', '--slug', slug, '--name', `Council ${slug}`, '--kind', 'UK_COUNCIL', '--country', 'GB', '--domains', `${slug}.gov.uk`);
    return { slug, domain: `${slug}.gov.uk` };
  }

  async function newMember(roles = 'CONTRIBUTOR'): Promise<{ slug: string; email: string; id: string }> {
    const { slug, domain } = await newOrg();
    const email = `officer-${unique()}@${domain}`;
    await ok('member:create', '--org', slug, '--email', email, '--name', 'A. Officer', '--roles', roles);
    const [row] = await dataSource.query('SELECT id FROM member WHERE email = $1', [email]);
    return { slug, email, id: row.id };
  }

  const rolesOf = async (id: string): Promise<string[]> => (await dataSource.query('SELECT roles::text[] AS roles FROM member WHERE id = $1', [id]))[0].roles;
  const audit = (action: string, subjectId: string): Promise<{ actor_member_id: string | null; details: Record<string, unknown> }[]> =>
    dataSource.query('SELECT actor_member_id, details FROM audit_event WHERE action = $1 AND subject_id = $2 ORDER BY occurred_at, id', [action, subjectId]);

  async function tokenFor(email: string, name = 'ci'): Promise<{ id: string; token: string }> {
    const run = await cli(['token:create', '--email', email, '--name', name, '--scopes', 'read,admin']);
    expect(run.status).toBe(0);
    const token = run.out.at(-1)!;
    const hex = /^pe_([0-9a-f]{32})_/.exec(token)![1]!;
    return { token, id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
  }

  describe('member:roles', () => {
    it('grants PLATFORM_ADMIN and MODERATOR, says what changed, and audits ROLES_CHANGED by the operator', async () => {
      const member = await newMember('CONTRIBUTOR');
      const out = await ok('member:roles', '--email', member.email.toUpperCase(), '--roles', 'CONTRIBUTOR,PLATFORM_ADMIN,MODERATOR');
      expect(out).toContain(member.email);
      expect(out).toMatch(/added MODERATOR, PLATFORM_ADMIN/);
      expect(await rolesOf(member.id)).toEqual(['CONTRIBUTOR', 'MODERATOR', 'PLATFORM_ADMIN']);
      expect(await audit('ROLES_CHANGED', member.id)).toEqual([
        { actor_member_id: null, details: { before: ['CONTRIBUTOR'], after: ['CONTRIBUTOR', 'MODERATOR', 'PLATFORM_ADMIN'] } },
      ]);
    });

    it('removes roles, and --roles NONE takes every role away', async () => {
      const member = await newMember('ORG_ADMIN,PLATFORM_ADMIN');
      expect(await ok('member:roles', '--email', member.email, '--roles', 'ORG_ADMIN')).toMatch(/removed PLATFORM_ADMIN/);
      expect(await rolesOf(member.id)).toEqual(['ORG_ADMIN']);
      expect(await ok('member:roles', '--email', member.email, '--roles', 'NONE')).toMatch(/\(none\).*removed ORG_ADMIN/);
      expect(await rolesOf(member.id)).toEqual([]);
    });

    it('refuses an unknown role (exit 2), an unknown address and a deactivated member (exit 1), changing nothing', async () => {
      const member = await newMember();
      await expectRefused(['member:roles', '--email', member.email, '--roles', 'CONTRIBUTOR,KING'], 2, [/--roles/, /KING/]);
      await expectRefused(['member:roles', '--email', member.email], 2, [/Missing --roles/]);
      await expectRefused(['member:roles', '--email', 'nobody@nowhere.gov.uk', '--roles', 'CONTRIBUTOR'], 1, ['nobody@nowhere.gov.uk']);
      await ok('member:deactivate', '--email', member.email);
      await expectRefused(['member:roles', '--email', member.email, '--roles', 'PLATFORM_ADMIN'], 1, [/deactivated/]);
    });
  });

  describe('member:deactivate', () => {
    it("ends the member's sessions and tokens and pauses their subscriptions at once, audited as the API's deactivation is", async () => {
      const member = await newMember();
      const { token } = await tokenFor(member.email);
      const entity = (await app.get(MemberRepository).findByEmail(member.email))!;
      await app.get(SessionService).start(entity, { identityProviderId: null, nameId: null, sessionIndex: null, userAgent: 'test' });
      const actor = Actor.member(entity.id, entity.organisationId, entity.roles);
      await app
        .get(DigestSubscriptionService)
        .create(actor, { name: 'Weekly', filter: {}, frequency: DigestFrequency.DAILY, channel: DigestChannel.ATOM } as never);

      const out = await ok('member:deactivate', '--email', member.email);
      expect(out).toMatch(/deactivated: 1 token\(s\) revoked, 1 session\(s\) ended/);
      const [row] = await dataSource.query(
        `SELECT m.deactivated_at IS NOT NULL AS deactivated,
           (SELECT count(*)::int FROM api_token WHERE member_id = m.id AND revoked_at IS NULL) AS live_tokens,
           (SELECT count(*)::int FROM session WHERE member_id = m.id AND revoked_at IS NULL) AS live_sessions,
           (SELECT count(*)::int FROM digest_subscription WHERE member_id = m.id AND paused_at IS NULL) AS live_subscriptions
         FROM member m WHERE m.id = $1`,
        [member.id],
      );
      expect(row).toEqual({ deactivated: true, live_tokens: 0, live_sessions: 0, live_subscriptions: 0 });
      await expect(app.get(ApiTokenService).authenticate(token)).rejects.toThrow(IdentityError);
      expect(await audit('MEMBER_DEACTIVATED', member.id)).toEqual([{ actor_member_id: null, details: { tokensRevoked: 1, sessionsEnded: 1 } }]);

      // Again: nothing more to do, said so, nothing recorded.
      expect(await ok('member:deactivate', '--email', member.email)).toMatch(/already deactivated/);
      expect(await audit('MEMBER_DEACTIVATED', member.id)).toHaveLength(1);
    });

    it('refuses an unknown address (exit 1) and a missing --email (exit 2), changing nothing', async () => {
      await newMember();
      await expectRefused(['member:deactivate', '--email', 'gone@nowhere.gov.uk'], 1, ['gone@nowhere.gov.uk']);
      await expectRefused(['member:deactivate'], 2, [/Missing --email/]);
    });
  });

  describe('org:domains', () => {
    const domainsOf = async (slug: string): Promise<string[]> =>
      (
        await dataSource.query(
          'SELECT d.domain FROM organisation_domain d JOIN organisation o ON o.id = d.organisation_id WHERE o.slug = $1 ORDER BY d.domain',
          [slug],
        )
      ).map((r: { domain: string }) => r.domain);

    it('lists the domains without --add or --remove, and changes nothing', async () => {
      const org = await newOrg();
      const before = await state();
      expect(await ok('org:domains', '--org', org.slug)).toBe(`Domains of ${org.slug}: ${org.domain}`);
      expect(await state()).toEqual(before);
    });

    it('adds and removes domains (normalised), audited as ORGANISATION_UPDATED by the operator', async () => {
      const org = await newOrg();
      const [{ id }] = await dataSource.query('SELECT id FROM organisation WHERE slug = $1', [org.slug]);
      const extra = [`a-${org.domain}`, `b-${org.domain}`];
      const out = await ok('org:domains', '--org', org.slug, '--add', `${extra[0]!.toUpperCase()}, @${extra[1]}`, '--remove', org.domain);
      expect(out).toContain(extra[0]);
      expect(await domainsOf(org.slug)).toEqual(extra);
      expect((await audit('ORGANISATION_UPDATED', id)).at(-1)).toEqual({ actor_member_id: null, details: { emailDomains: extra } });

      // Adding one it has: nothing changes, nothing is recorded.
      const events = (await audit('ORGANISATION_UPDATED', id)).length;
      expect(await ok('org:domains', '--org', org.slug, '--add', extra[0]!)).toMatch(/unchanged/);
      expect(await audit('ORGANISATION_UPDATED', id)).toHaveLength(events);
    });

    it("refuses another organisation's domain, a malformed one, removing one it does not have, and an unknown organisation (exit 1); usage mistakes (exit 2)", async () => {
      const org = await newOrg();
      const owner = await newOrg();
      await expectRefused(['org:domains', '--org', org.slug, '--add', owner.domain], 1, [owner.domain, /another organisation/]);
      await expectRefused(['org:domains', '--org', org.slug, '--add', 'not a domain'], 1, [/not a domain/]);
      await expectRefused(['org:domains', '--org', org.slug, '--remove', `x-${org.domain}`], 1, [`x-${org.domain}`, org.domain]);
      await expectRefused(['org:domains', '--org', 'no-such-org', '--add', 'new.gov.uk'], 1, ['no-such-org']);
      await expectRefused(['org:domains', '--org', org.slug, '--add', 'x.gov.uk', '--remove', 'x.gov.uk'], 2, [/both added and removed/]);
      await expectRefused(['org:domains', '--org', org.slug, '--add', ','], 2, [/--add/]);
      expect(await domainsOf(org.slug)).toEqual([org.domain]);
      expect(await domainsOf(owner.slug)).toEqual([owner.domain]);
    });
  });

  describe('token:revoke', () => {
    const revoked = async (id: string): Promise<boolean> =>
      (await dataSource.query('SELECT revoked_at IS NOT NULL AS revoked FROM api_token WHERE id = $1', [id]))[0].revoked;

    it('--id revokes the token and every token minted from it, each audited by the operator', async () => {
      const member = await newMember();
      const parent = await tokenFor(member.email);
      const tokens = app.get(ApiTokenService);
      const child = await tokens.create(await tokens.authenticate(parent.token), { name: 'minted', scopes: [TokenScope.READ] });
      const other = await tokenFor(member.email, 'other');

      const out = await ok('token:revoke', '--id', parent.id);
      expect(out).toMatch(/revoked, with 1 token\(s\) minted from it/);
      expect([await revoked(parent.id), await revoked(child.apiToken.id), await revoked(other.id)]).toEqual([true, true, false]);
      await expect(tokens.authenticate(child.token)).rejects.toThrow(IdentityError);
      expect(await audit('TOKEN_REVOKED', parent.id)).toEqual([{ actor_member_id: null, details: { viaToken: null, mintedRevoked: [child.apiToken.id] } }]);
      expect(await audit('TOKEN_REVOKED', child.apiToken.id)).toEqual([{ actor_member_id: null, details: { viaToken: null, mintedFrom: parent.id } }]);

      expect(await ok('token:revoke', '--id', parent.id)).toMatch(/already revoked/);
    });

    it('--email and --name, or the token itself, name the token too', async () => {
      const member = await newMember();
      const ci = await tokenFor(member.email, 'ci');
      const leaked = await tokenFor(member.email, 'leaked');
      expect(await ok('token:revoke', '--email', member.email, '--name', 'ci')).toContain(ci.id);
      expect(await ok('token:revoke', '--id', leaked.token)).toContain(leaked.id);
      expect([await revoked(ci.id), await revoked(leaked.id)]).toEqual([true, true]);
    });

    it('refuses an unknown token, an unknown address, an ambiguous name (exit 1) and usage mistakes (exit 2), changing nothing', async () => {
      const member = await newMember();
      const first = await tokenFor(member.email, 'twice');
      const second = await tokenFor(member.email, 'twice');
      await expectRefused(['token:revoke', '--id', '00000000-0000-4000-8000-000000000000'], 1, ['00000000-0000-4000-8000-000000000000']);
      await expectRefused(['token:revoke', '--email', member.email, '--name', 'nope'], 1, [/no unrevoked token named "nope"/]);
      await expectRefused(['token:revoke', '--email', 'nobody@nowhere.gov.uk', '--name', 'twice'], 1, ['nobody@nowhere.gov.uk']);
      await expectRefused(['token:revoke', '--email', member.email, '--name', 'twice'], 1, [first.id, second.id, /--id|by its id/]);
      await expectRefused(['token:revoke', '--id', 'not-a-token'], 2, [/--id/]);
      await expectRefused(['token:revoke', '--id', first.id, '--email', member.email], 2, [/either --id, or --email and --name/]);
      await expectRefused(['token:revoke', '--email', member.email], 2, [/either --id, or --email and --name/]);
    });
  });

  describe('db:status', () => {
    const migrationRows = async (ds: DataSource): Promise<number> => (await ds.query('SELECT count(*)::int AS n FROM migrations'))[0].n;

    it('on an up-to-date database: exit 0, every migration applied, none pending', async () => {
      const run = await cli(['db:status']);
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(run.out.join('\n')).toContain(`Applied: ${MIGRATIONS.length} migration(s)`);
      expect(run.out.join('\n')).toContain('The database is up to date.');
    });

    it('with migrations pending: exit 3, names them, and applies none', async () => {
      const otherUrl = await freshDatabaseUrl();
      const other = await createDataSource({ url: otherUrl, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 1 }).initialize();
      try {
        const [last] = await other.query('SELECT id, name FROM migrations ORDER BY id DESC LIMIT 1');
        await other.query('DELETE FROM migrations WHERE id = $1', [last.id]);
        const rows = await migrationRows(other);
        const run = await cli(['db:status'], otherUrl);
        expect(run.status).toBe(EXIT_MIGRATIONS_PENDING);
        expect(EXIT_MIGRATIONS_PENDING).toBe(3);
        expect(run.out.join('\n')).toContain(`Pending: 1 migration(s): ${last.name}`);
        expect(await migrationRows(other)).toBe(rows);

        // An empty database (no migrations table): all pending, and still nothing is created.
        await other.query('DROP TABLE migrations');
        const empty = await cli(['db:status'], otherUrl);
        expect(empty.status).toBe(3);
        expect(empty.out.join('\n')).toContain(`Pending: ${MIGRATIONS.length} migration(s)`);
        expect((await other.query(`SELECT to_regclass('public.migrations') IS NULL AS absent`))[0].absent).toBe(true);
      } finally {
        await other.destroy();
      }
    });

    it('takes no flags (exit 2)', async () => {
      const run = await cli(['db:status', '--apply', 'yes']);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/Unknown flag --apply/);
    });
  });
});
