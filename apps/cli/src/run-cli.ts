import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { ConfigError, createLogger, keepDemoSecret, loadConfig } from '#config';
import { migrationStatus, openDatabase } from '#database';
import { existsSync, readFileSync } from 'node:fs';
import {
  ApiTokenService,
  IdentityError,
  IdentityErrorCode,
  IdentityProviderService,
  MemberRepository,
  MemberService,
  OPERATOR,
  OrganisationKind,
  OrganisationService,
  Role,
  TokenScope,
  certificateFacts,
  isSlug,
  tokenIdOf,
  trustChangeUnconfirmed,
  type IdentityProviderEntity,
  type MemberEntity,
} from '#identity';
import { ENTITIES, MIGRATIONS } from '../../../migrations/schema.js';
import type { DataSource } from 'typeorm';
import { UsageError, parseArgs, parseDuration, takeFlags } from './args.js';
import { CliModule } from './cli.module.js';

export const USAGE = `Usage: npm run cli -- <command> [flags]

  db:migrate
  db:status         (exit status 3 when migrations are pending; applies none)
  org:create        --slug kent --name "Kent County Council" --kind UK_COUNCIL --country GB --domains kent.gov.uk[,other.gov.uk] [--region "South East"]
  org:domains       --org kent [--add a.gov.uk[,b.gov.uk]] [--remove c.gov.uk[,…]]   (neither: list them)
  member:create     --org kent --email officer@kent.gov.uk --name "A. Officer" --roles CONTRIBUTOR[,MODERATOR,ORG_ADMIN,PLATFORM_ADMIN]
                    (an invitation: the first sign-in with that address through kent's identity provider takes it up)
  member:roles      --email officer@kent.gov.uk --roles CONTRIBUTOR[,MODERATOR,ORG_ADMIN,PLATFORM_ADMIN] | --roles NONE
  member:deactivate --email officer@kent.gov.uk
  token:create      --email officer@kent.gov.uk --name ci --scopes read,write[,moderate,admin] [--expires-in 30d]
  token:revoke      --id <token id, or the token> | --email officer@kent.gov.uk --name ci
  idp:configure     --org kent (--metadata-file F | --metadata-url U) [--key main] [--name "Kent Entra ID"]
                    [--federation-cert F.pem --entity-id E]   (the metadata is a federation's signed aggregate)
  idp:list          [--org kent]
  idp:refresh       --org kent [--key main]   (fetch the metadata from its URL now)

Exit status: 0 done, 1 refused or failed (the message says why), 2 a usage mistake, 3 (db:status) migrations pending.
`;

const COMMANDS = [
  'db:migrate',
  'db:status',
  'org:create',
  'org:domains',
  'member:create',
  'member:roles',
  'member:deactivate',
  'token:create',
  'token:revoke',
  'idp:configure',
  'idp:list',
  'idp:refresh',
];

/** db:status when this version has migrations the database lacks. */
export const EXIT_MIGRATIONS_PENDING = 3;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env?: Record<string, string | undefined>;
}

/** `--roles NONE` takes every role away; otherwise a list like any other. */
function roles(value: string): Role[] {
  return value.trim().toUpperCase() === 'NONE' ? [] : list(value, Object.values(Role), 'roles');
}

function domains(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
}

function list<T extends string>(value: string, allowed: readonly T[], flag: string): T[] {
  const items = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = items.filter((v) => !allowed.includes(v as T));
  if (bad.length || !items.length) throw new UsageError(`--${flag} takes ${allowed.join(', ')} (comma-separated); got "${value}"`);
  return items as T[];
}

/**
 * Runs one operator command against the configured database (running server or not).
 * @returns the exit status: 0 done, 1 refused or failed, 2 a usage mistake, 3 migrations pending (db:status).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
    if (!parsed.command || !COMMANDS.includes(parsed.command)) {
      throw new UsageError(parsed.command ? `Unknown command "${parsed.command}"` : 'No command given');
    }
    // Validate flags before touching the database, so a typo costs nothing.
    validate(parsed.command, parsed.flags);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`Error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  Logger.overrideLogger(createLogger('warn', { write: (line: string) => io.err(line.replace(/\n$/, '')) }));
  let database;
  try {
    const env = io.env ?? process.env;
    const config = keepDemoSecret(loadConfig(env), env);
    // Migrations run once, by db:migrate; other commands migrate only where MIGRATE_ON_START allows it (a demo run
    // before `npm start`), and db:status must not change the database it reports on.
    const migrate = parsed.command === 'db:migrate' || (parsed.command !== 'db:status' && config.migrateOnStart);
    database = await openDatabase(config, { entities: ENTITIES, migrations: MIGRATIONS }, { migrate });
    if (parsed.command === 'db:migrate') {
      io.out(database.applied.length ? `Applied ${database.applied.length} migration(s): ${database.applied.join(', ')}` : 'The database is up to date.');
      return 0;
    }
    if (parsed.command === 'db:status') return await dbStatus(database.dataSource, io);
    if (database.pending.length) {
      io.err(`Error: ${database.pending.length} migration(s) are pending and MIGRATE_ON_START is false: run db:migrate first. Nothing was changed.`);
      return 1;
    }
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, database.dataSource), { logger: false });
    try {
      return await execute(app, parsed.command, parsed.flags, io);
    } finally {
      await app.close();
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof IdentityError || error instanceof ConfigError) {
      io.err(`Error: ${error.message}`);
      return 1;
    }
    io.err(`Error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await database?.close();
  }
}

function validate(command: string, flags: Map<string, string>): void {
  switch (command) {
    case 'db:migrate':
    case 'db:status':
      takeFlags(flags, []);
      return;
    case 'org:domains': {
      const f = takeFlags(flags, ['org'], ['add', 'remove']);
      if (f.add !== undefined && !domains(f.add).length) throw new UsageError('--add takes one or more domains, comma-separated');
      if (f.remove !== undefined && !domains(f.remove).length) throw new UsageError('--remove takes one or more domains, comma-separated');
      const both = domains(f.add).filter((d) => domains(f.remove).includes(d));
      if (both.length) throw new UsageError(`${both.join(', ')} is both added and removed`);
      return;
    }
    case 'member:roles': {
      const f = takeFlags(flags, ['email', 'roles']);
      roles(f.roles);
      return;
    }
    case 'member:deactivate':
      takeFlags(flags, ['email']);
      return;
    case 'token:revoke': {
      const f = takeFlags(flags, [], ['id', 'email', 'name']);
      if (f.id !== undefined ? f.email !== undefined || f.name !== undefined : f.email === undefined || f.name === undefined) {
        throw new UsageError('Give either --id, or --email and --name');
      }
      if (f.id !== undefined && !tokenIdOf(f.id)) throw new UsageError(`--id "${f.id}" is not a token id (such as 0f8e…, 32 hexadecimal digits) nor a token`);
      return;
    }
    case 'idp:list':
      takeFlags(flags, [], ['org']);
      return;
    case 'idp:refresh':
      takeFlags(flags, ['org'], ['key']);
      return;
    case 'org:create': {
      const f = takeFlags(flags, ['slug', 'name', 'kind', 'country', 'domains'], ['region']);
      if (!isSlug(f.slug)) throw new UsageError('--slug must be lower-case letters, digits and hyphens, such as kent');
      if (!Object.values(OrganisationKind).includes(f.kind as OrganisationKind)) {
        throw new UsageError(`--kind takes one of ${Object.values(OrganisationKind).join(', ')}; got "${f.kind}"`);
      }
      if (!/^[A-Za-z]{2}$/.test(f.country)) throw new UsageError('--country must be a two-letter ISO 3166 code such as GB');
      return;
    }
    case 'member:create': {
      const f = takeFlags(flags, ['org', 'email', 'name', 'roles']);
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(f.email)) throw new UsageError(`--email "${f.email}" is not an e-mail address`);
      list(f.roles, Object.values(Role), 'roles');
      return;
    }
    case 'token:create': {
      const f = takeFlags(flags, ['email', 'name', 'scopes'], ['expires-in']);
      list(f.scopes, Object.values(TokenScope), 'scopes');
      if (f['expires-in']) parseDuration(f['expires-in']);
      return;
    }
    case 'idp:configure': {
      const f = takeFlags(flags, ['org'], ['metadata-file', 'metadata-url', 'key', 'name', 'federation-cert', 'entity-id']);
      if (!f['metadata-file'] === !f['metadata-url']) throw new UsageError('Give exactly one of --metadata-file and --metadata-url');
      if (f['metadata-file'] && !existsSync(f['metadata-file'])) throw new UsageError(`--metadata-file: no file at ${f['metadata-file']}`);
      if (!f['federation-cert'] !== !f['entity-id']) throw new UsageError('--federation-cert and --entity-id go together');
      if (f.key !== undefined && (!isSlug(f.key) || f.key.length > 64)) {
        throw new UsageError('--key must be lower-case letters, digits and single hyphens, at most 64 characters (such as main)');
      }
      if (f['federation-cert'] && !existsSync(f['federation-cert'])) throw new UsageError(`--federation-cert: no file at ${f['federation-cert']}`);
      return;
    }
  }
}

type App = Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;

/** The member with this address, for the commands that name one by e-mail. */
async function memberByEmail(app: App, email: string): Promise<MemberEntity> {
  const member = await app.get(MemberRepository).findByEmail(email.trim());
  if (!member) throw new IdentityError(IdentityErrorCode.MEMBER_NOT_FOUND, `--email: no member has the address ${email}`, 'email');
  return member;
}

/** Applied and pending migrations; exit status {@link EXIT_MIGRATIONS_PENDING} when some are pending. */
async function dbStatus(dataSource: DataSource, io: CliIo): Promise<number> {
  const status = await migrationStatus(dataSource);
  io.out(status.applied.length ? `Applied: ${status.applied.length} migration(s), the last ${status.applied.at(-1)}.` : 'Applied: none (an empty database).');
  if (status.unknown.length) io.out(`Unknown to this version: ${status.unknown.join(', ')} (the database was migrated by a newer version).`);
  if (status.pending.length) {
    io.out(`Pending: ${status.pending.length} migration(s): ${status.pending.join(', ')}. Run db:migrate before starting this version.`);
    return EXIT_MIGRATIONS_PENDING;
  }
  io.out('Pending: none. The database is up to date.');
  return 0;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** One IdP as `idp:list` prints it: what an operator checks before and after a key rollover or a trust change. */
function describeIdp(idp: IdentityProviderEntity, now: Date): string[] {
  const lines = [
    `${idp.organisation?.slug ?? idp.organisationId} ${idp.key}: ${idp.name}${idp.enabled ? '' : ' (disabled)'}`,
    `  entity ID:   ${idp.entityId}`,
  ];
  const refreshed = idp.metadataRefreshedAt ? ` (fetched ${idp.metadataRefreshedAt.toISOString()})` : '';
  lines.push(
    `  metadata:    ${idp.metadataUrl ? `${idp.metadataUrl}${refreshed}` : 'a file (not refreshed)'}${idp.federationCertificate ? ', a federation aggregate' : ''}`,
  );
  if (idp.metadataError) lines.push(`  last refresh failed: ${idp.metadataError}`);
  for (const certificate of idp.certificates) {
    const facts = certificateFacts(certificate, now);
    const state = facts.expired ? ' EXPIRED' : facts.expiresSoon ? ' expires soon' : '';
    lines.push(
      `  certificate: ${facts.subject ?? 'unreadable'}, ${facts.validTo ? `valid until ${day(facts.validTo)}` : 'no expiry readable'}${state}, SHA-256 ${facts.fingerprint}`,
    );
  }
  lines.push(
    trustChangeUnconfirmed(idp)
      ? `  trust:       NOT CONFIRMED (changed ${day(idp.trustChangedAt!)} by an organisation admin): platform admins cannot sign in through it until a platform admin confirms, or idp:configure is run again`
      : `  trust:       confirmed${idp.trustConfirmedAt ? ` ${day(idp.trustConfirmedAt)}` : ''}`,
  );
  return lines;
}

/** Runs a command that needs the identity services; its exit status. */
async function execute(app: App, command: string, flags: Map<string, string>, io: CliIo): Promise<number> {
  switch (command) {
    case 'org:create': {
      const f = takeFlags(flags, ['slug', 'name', 'kind', 'country', 'domains'], ['region']);
      const org = await app.get(OrganisationService).upsert(OPERATOR, {
        slug: f.slug,
        name: f.name,
        kind: f.kind as OrganisationKind,
        country: f.country,
        region: f.region ?? null,
        emailDomains: f.domains
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean),
      });
      io.out(`Organisation ${org.slug} (${org.name}) saved.`);
      return 0;
    }
    case 'member:create': {
      const f = takeFlags(flags, ['org', 'email', 'name', 'roles']);
      const member = await app
        .get(MemberService)
        .create({ organisationSlug: f.org, email: f.email, name: f.name, roles: list(f.roles, Object.values(Role), 'roles') });
      io.out(
        `Member ${member.email} invited to ${f.org} with roles ${member.roles.join(', ') || '(none)'}: they join by signing in through ${f.org}'s identity provider with this address.`,
      );
      return 0;
    }
    case 'idp:configure': {
      const f = takeFlags(flags, ['org'], ['metadata-file', 'metadata-url', 'key', 'name', 'federation-cert', 'entity-id']);
      const idp = await app.get(IdentityProviderService).configure(OPERATOR, {
        federationCertificate: f['federation-cert'] ? readFileSync(f['federation-cert'], 'utf8') : null,
        entityId: f['entity-id'] ?? null,
        organisationSlug: f.org,
        key: f.key,
        name: f.name,
        metadataXml: f['metadata-file'] ? readFileSync(f['metadata-file'], 'utf8') : null,
        metadataUrl: f['metadata-url'] ?? null,
      });
      io.out(`Identity provider "${idp.key}" of ${f.org} saved: ${idp.entityId}, ${idp.certificates.length} signing certificate(s).`);
      return 0;
    }
    case 'token:create': {
      const f = takeFlags(flags, ['email', 'name', 'scopes'], ['expires-in']);
      const member = await memberByEmail(app, f.email);
      const expiresAt = f['expires-in'] ? new Date(Date.now() + parseDuration(f['expires-in'])) : undefined;
      const { apiToken, token } = await app
        .get(ApiTokenService)
        .createForMember(member, { name: f.name, scopes: list(f.scopes, Object.values(TokenScope), 'scopes'), expiresAt });
      io.out(
        `Token "${apiToken.name}" for ${member.email}, scopes ${apiToken.scopes.join(',')}, expires ${apiToken.expiresAt.toISOString()}. It is shown once:`,
      );
      io.out(token);
      return 0;
    }
    case 'token:revoke': {
      const f = takeFlags(flags, [], ['id', 'email', 'name']);
      const which = f.id !== undefined ? { id: tokenIdOf(f.id)! } : { member: await memberByEmail(app, f.email!), name: f.name! };
      const { token, revoked } = await app.get(ApiTokenService).revokeByOperator(which);
      const minted = revoked.filter((id) => id !== token.id).length;
      const own = revoked.includes(token.id) ? `Token "${token.name}" (${token.id}) revoked` : `Token "${token.name}" (${token.id}) was already revoked`;
      io.out(`${own}${minted ? `, with ${minted} token(s) minted from it` : ''}.`);
      return 0;
    }
    case 'member:roles': {
      const f = takeFlags(flags, ['email', 'roles']);
      const member = await memberByEmail(app, f.email);
      const saved = await app.get(MemberService).setRoles(OPERATOR, member.id, roles(f.roles));
      const added = saved.roles.filter((r) => !saved.rolesBefore.includes(r));
      const removed = saved.rolesBefore.filter((r) => !saved.roles.includes(r));
      const change =
        [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : ''].filter(Boolean).join('; ') || 'unchanged';
      io.out(`Roles of ${member.email}: ${saved.roles.join(', ') || '(none)'} (${change}).`);
      return 0;
    }
    case 'member:deactivate': {
      const f = takeFlags(flags, ['email']);
      const member = await memberByEmail(app, f.email);
      if (member.deactivatedAt) {
        io.out(`Member ${member.email} was already deactivated on ${day(member.deactivatedAt)}.`);
        return 0;
      }
      const done = await app.get(MemberService).deactivate(OPERATOR, member.id);
      io.out(
        `Member ${member.email} deactivated: ${done.tokensRevoked} token(s) revoked, ${done.sessionsEnded} session(s) ended, digest subscriptions paused.`,
      );
      return 0;
    }
    case 'org:domains': {
      const f = takeFlags(flags, ['org'], ['add', 'remove']);
      const organisations = app.get(OrganisationService);
      if (f.add === undefined && f.remove === undefined) {
        const current = await organisations.domainsOf(f.org);
        io.out(current.length ? `Domains of ${f.org}: ${current.join(', ')}` : `${f.org} has no domains.`);
        return 0;
      }
      const { before, after } = await organisations.changeDomains(OPERATOR, f.org, { add: domains(f.add), remove: domains(f.remove) });
      io.out(
        after.join() === before.join()
          ? `Domains of ${f.org} unchanged: ${after.join(', ')}`
          : `Domains of ${f.org}: ${after.join(', ') || '(none)'} (were ${before.join(', ') || 'none'}).`,
      );
      return 0;
    }
    case 'idp:list': {
      const f = takeFlags(flags, [], ['org']);
      const idps = await app.get(IdentityProviderService).listForOperator(f.org);
      if (!idps.length) io.out(f.org ? `${f.org} has no identity providers.` : 'No identity providers are configured.');
      const now = new Date();
      for (const idp of idps) for (const line of describeIdp(idp, now)) io.out(line);
      return 0;
    }
    case 'idp:refresh': {
      const f = takeFlags(flags, ['org'], ['key']);
      const results = await app.get(IdentityProviderService).refreshNow(f.org, f.key);
      let failed = false;
      for (const { idp, result } of results) {
        if (!result.ok) {
          failed = true;
          io.err(`Error: ${f.org} ${idp.key}: the refresh from ${idp.metadataUrl} failed, and the metadata in force stays: ${result.error}`);
          continue;
        }
        const changes = [
          ...result.certificatesAdded.map((c) => `signing certificate added (SHA-256 ${c})`),
          ...result.certificatesRemoved.map((c) => `signing certificate removed (SHA-256 ${c})`),
          ...(result.endpointsChanged ? ['sign-in or logout address changed'] : []),
        ];
        io.out(`${f.org} ${idp.key}: refreshed from ${idp.metadataUrl}: ${changes.join('; ') || 'no change'}.`);
      }
      return failed ? 1 : 0;
    }
  }
  throw new UsageError(`Unknown command "${command}"`);
}
