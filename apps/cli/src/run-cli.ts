import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { ConfigError, createLogger, loadConfig } from '#config';
import { openDatabase } from '#database';
import { existsSync, readFileSync } from 'node:fs';
import { ApiTokenService, IdentityError, IdentityProviderService, MemberRepository, MemberService, OrganisationKind, OrganisationService, Role, TokenScope } from '#identity';
import { ENTITIES, MIGRATIONS } from '../../../migrations/schema.js';
import { UsageError, parseArgs, parseDuration, takeFlags } from './args.js';
import { CliModule } from './cli.module.js';

export const USAGE = `Usage: npm run cli -- <command> [flags]

  db:migrate
  org:create    --slug kent --name "Kent County Council" --kind UK_COUNCIL --country GB --domains kent.gov.uk[,other.gov.uk] [--region "South East"]
  member:create --org kent --email officer@kent.gov.uk --name "A. Officer" --roles CONTRIBUTOR[,MODERATOR,ORG_ADMIN,PLATFORM_ADMIN]
  token:create  --email officer@kent.gov.uk --name ci --scopes read,write[,moderate,admin] [--expires-in 30d]
  idp:configure --org kent (--metadata-file F | --metadata-url U) [--key main] [--name "Kent Entra ID"]
                [--federation-cert F.pem --entity-id E]   (the metadata is a federation's signed aggregate)
`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env?: Record<string, string | undefined>;
}

function list<T extends string>(value: string, allowed: readonly T[], flag: string): T[] {
  const items = value.split(',').map((v) => v.trim()).filter(Boolean);
  const bad = items.filter((v) => !allowed.includes(v as T));
  if (bad.length || !items.length) throw new UsageError(`--${flag} takes ${allowed.join(', ')} (comma-separated); got "${value}"`);
  return items as T[];
}

/**
 * Runs one operator command against the configured database (running server or not).
 * @returns the exit status: 0 done, 1 refused or failed, 2 a usage mistake.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
    if (!parsed.command || !['db:migrate', 'org:create', 'member:create', 'token:create', 'idp:configure'].includes(parsed.command)) {
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
    const config = loadConfig(io.env ?? process.env);
    database = await openDatabase(config, { entities: ENTITIES, migrations: MIGRATIONS });
    if (parsed.command === 'db:migrate') {
      io.out(database.applied.length ? `Applied ${database.applied.length} migration(s): ${database.applied.join(', ')}` : 'The database is up to date.');
      return 0;
    }
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, database.dataSource), { logger: false });
    try {
      await execute(app, parsed.command, parsed.flags, io);
    } finally {
      await app.close();
    }
    return 0;
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
      takeFlags(flags, []);
      return;
    case 'org:create': {
      const f = takeFlags(flags, ['slug', 'name', 'kind', 'country', 'domains'], ['region']);
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(f.slug)) throw new UsageError('--slug must be lower-case letters, digits and hyphens, such as kent');
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
      if (f.key !== undefined && (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(f.key) || f.key.length > 64)) {
        throw new UsageError('--key must be lower-case letters, digits and single hyphens, at most 64 characters (such as main)');
      }
      if (f['federation-cert'] && !existsSync(f['federation-cert'])) throw new UsageError(`--federation-cert: no file at ${f['federation-cert']}`);
      return;
    }
  }
}

async function execute(app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>, command: string, flags: Map<string, string>, io: CliIo): Promise<void> {
  switch (command) {
    case 'org:create': {
      const f = takeFlags(flags, ['slug', 'name', 'kind', 'country', 'domains'], ['region']);
      const org = await app.get(OrganisationService).upsert(null, {
        slug: f.slug,
        name: f.name,
        kind: f.kind as OrganisationKind,
        country: f.country,
        region: f.region ?? null,
        emailDomains: f.domains.split(',').map((d) => d.trim()).filter(Boolean),
      });
      io.out(`Organisation ${org.slug} (${org.name}) saved.`);
      return;
    }
    case 'member:create': {
      const f = takeFlags(flags, ['org', 'email', 'name', 'roles']);
      const member = await app.get(MemberService).create({ organisationSlug: f.org, email: f.email, name: f.name, roles: list(f.roles, Object.values(Role), 'roles') });
      io.out(`Member ${member.email} created in ${f.org} with roles ${member.roles.join(', ') || '(none)'}.`);
      return;
    }
    case 'idp:configure': {
      const f = takeFlags(flags, ['org'], ['metadata-file', 'metadata-url', 'key', 'name', 'federation-cert', 'entity-id']);
      const idp = await app.get(IdentityProviderService).configure(null, {
        federationCertificate: f['federation-cert'] ? readFileSync(f['federation-cert'], 'utf8') : null,
        entityId: f['entity-id'] ?? null,
        organisationSlug: f.org,
        key: f.key,
        name: f.name,
        metadataXml: f['metadata-file'] ? readFileSync(f['metadata-file'], 'utf8') : null,
        metadataUrl: f['metadata-url'] ?? null,
      });
      io.out(`Identity provider "${idp.key}" of ${f.org} saved: ${idp.entityId}, ${idp.certificates.length} signing certificate(s).`);
      return;
    }
    case 'token:create': {
      const f = takeFlags(flags, ['email', 'name', 'scopes'], ['expires-in']);
      const member = await app.get(MemberRepository).findByEmail(f.email.trim());
      if (!member) throw new UsageError(`--email: no member has the address ${f.email}`);
      const expiresAt = f['expires-in'] ? new Date(Date.now() + parseDuration(f['expires-in'])) : undefined;
      const { apiToken, token } = await app.get(ApiTokenService).createForMember(member, { name: f.name, scopes: list(f.scopes, Object.values(TokenScope), 'scopes'), expiresAt });
      io.out(`Token "${apiToken.name}" for ${member.email}, scopes ${apiToken.scopes.join(',')}, expires ${apiToken.expiresAt.toISOString()}. It is shown once:`);
      io.out(token);
      return;
    }
  }
}
