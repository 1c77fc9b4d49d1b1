import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A setting that is missing or malformed; the start stops with its message. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Typed, validated configuration; built once at start-up by {@link loadConfig}. */
export class AppConfig {
  readonly nodeEnv!: 'production' | 'development' | 'test';
  readonly port!: number;
  /** Unset: the embedded PostgreSQL of demo mode. */
  readonly databaseUrl!: string | undefined;
  /** A streaming replica for reads that tolerate a second of lag (lists, search, feeds, digest composition); unset: all on DATABASE_URL. */
  readonly databaseReadUrl!: string | undefined;
  /** How long a stopping process lets requests in flight and running jobs finish before it closes them. */
  readonly shutdownGraceSeconds!: number;
  readonly publicUrl!: string;
  readonly smtpUrl!: string | undefined;
  readonly mailFrom!: string;
  readonly digestImmediateDelaySeconds!: number;
  readonly outboundAllowPrivateNetworks!: boolean;
  readonly appSecret!: string;
  readonly dataDir!: string;
  readonly graphqlMaxDepth!: number;
  readonly graphqlMaxCost!: number;
  /**
   * How long an anonymous caller's answer to a public list query (practices, tags) may be served again to other
   * anonymous callers; 0 turns the cache off. Writes in this process empty it at once; other processes' within this time.
   */
  readonly publicCacheSeconds!: number;
  /** Whether `__schema` and `__type` are answered; off in production unless GRAPHQL_INTROSPECTION=true. */
  readonly graphqlIntrospection!: boolean;
  /** The address to listen on; `undefined` listens on every interface. Demo mode keeps to loopback unless HOST is set. */
  readonly host!: string | undefined;
  /** How many reverse proxies in front of the API set X-Forwarded-For; 0 trusts none (the socket's address is the caller's). */
  readonly trustProxyHops!: number;
  readonly rateLimits!: RateLimitSettings;
  readonly logLevel!: 'debug' | 'log' | 'warn' | 'error';
  /** The SP's signing and encryption key pair, and the next certificate during a rollover (files, PEM). */
  readonly samlSpKeyFile!: string | undefined;
  readonly samlSpCertFile!: string | undefined;
  readonly samlSpNextCertFile!: string | undefined;
  /** How far the IdP's clock may be off when checking NotBefore and NotOnOrAfter. */
  readonly samlClockSkewSeconds!: number;
  readonly sessionIdleMinutes!: number;
  readonly sessionAbsoluteHours!: number;
  /** Bearer token that `/metrics` requires when set (in production the main port serves metrics only with it). */
  readonly metricsToken!: string | undefined;
  /** A port of its own for `/metrics` (on HOST); set, the main port does not serve them. */
  readonly metricsPort!: number | undefined;
  /** Whether the API and the worker apply pending migrations when they start; off in production, where a one-shot `db:migrate` does it once. */
  readonly migrateOnStart!: boolean;

  constructor(values: Omit<AppConfig, 'demoMode' | 'production' | 'secureCookies'>) {
    Object.assign(this, values);
  }

  /** Demo data, the demo IdP and the printed token exist only on the embedded database. */
  get demoMode(): boolean {
    return this.databaseUrl === undefined;
  }

  get production(): boolean {
    return this.nodeEnv === 'production';
  }

  /** Cookies are `Secure` when people reach the platform over https. */
  get secureCookies(): boolean {
    return this.publicUrl.startsWith('https:');
  }
}

/** Requests a minute, each shared by every API process through PostgreSQL; `enabled: false` is RATE_LIMITS=off. */
export interface RateLimitSettings {
  enabled: boolean;
  /** Per API token, or per member for a signed-in browser. */
  memberPerMinute: number;
  /** Per IP address, for callers who are neither signed in nor using a token. */
  anonymousPerMinute: number;
  /** Per IP address, for `/auth/saml/*` (sign-in, assertion consumer, single logout). */
  signInPerMinute: number;
  /** Refused sign-ins written to the audit log per organisation; past it they are only logged. */
  refusedSignInAuditsPerMinute: number;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

function boolean(env: Env, name: string, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return false;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return false;
}

/** `true`/`false`, or `fallback` when unset. */
function optionalBoolean(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : boolean(env, name, problems);
}

function url(env: Env, name: string, protocols: string[], problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed = new URL(raw);
    if (!protocols.includes(parsed.protocol)) {
      problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')} (got "${parsed.protocol}//…")`);
    }
    return raw;
  } catch {
    problems.push(`${name} is not a valid URL`);
    return undefined;
  }
}

/** Demo mode keeps one generated secret under the data folder, so sessions survive a restart. */
function demoSecret(dataDir: string): string {
  const file = path.join(dataDir, 'app-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * Reads and validates the environment. Every problem is collected, so one start names all of them.
 * @throws ConfigError when a setting is missing or malformed.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['production', 'development', 'test'].includes(nodeEnvRaw)) {
    problems.push(`NODE_ENV must be production, development or test (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = (['production', 'test'].includes(nodeEnvRaw) ? nodeEnvRaw : 'development') as AppConfig['nodeEnv'];
  const port = integer(env, 'PORT', 3000, 0, 65535, problems);
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], problems);
  const databaseReadUrl = url(env, 'DATABASE_READ_URL', ['postgres:', 'postgresql:'], problems);
  if (databaseReadUrl && !databaseUrl) problems.push('DATABASE_READ_URL needs DATABASE_URL: the replica follows a primary, never the embedded database');
  const shutdownGrace = integer(env, 'SHUTDOWN_GRACE_SECONDS', 25, 0, 600, problems);
  const publicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:'], problems);
  const smtpUrl = url(env, 'SMTP_URL', ['smtp:', 'smtps:'], problems);
  const dataDir = path.resolve(cwd, env.DATA_DIR || '.data');
  const production = nodeEnv === 'production';
  if (production && !databaseUrl) problems.push('DATABASE_URL is required when NODE_ENV=production');
  if (production && !publicUrl) problems.push('PUBLIC_URL is required when NODE_ENV=production');
  const appSecretRaw = env.APP_SECRET;
  if (appSecretRaw !== undefined && appSecretRaw.length < 32) {
    problems.push('APP_SECRET must be at least 32 characters (for example: openssl rand -base64 32)');
  }
  if (!appSecretRaw && (production || databaseUrl)) {
    problems.push('APP_SECRET is required outside demo mode (for example: openssl rand -base64 32)');
  }
  const digestDelay = integer(env, 'DIGEST_IMMEDIATE_DELAY_SECONDS', 120, 0, 86_400, problems);
  const allowPrivate = boolean(env, 'OUTBOUND_ALLOW_PRIVATE_NETWORKS', problems);
  const maxDepth = integer(env, 'GRAPHQL_MAX_DEPTH', 10, 2, 50, problems);
  const maxCost = integer(env, 'GRAPHQL_MAX_COST', 50_000, 10, 10_000_000, problems);
  const publicCacheSeconds = integer(env, 'PUBLIC_CACHE_SECONDS', 0, 0, 60, problems);
  const introspection = optionalBoolean(env, 'GRAPHQL_INTROSPECTION', !production, problems);
  const migrateOnStart = optionalBoolean(env, 'MIGRATE_ON_START', !production, problems);
  const hostRaw = env.HOST?.trim();
  if (hostRaw !== undefined && hostRaw !== '' && !/^[\w.:-]{1,253}$/.test(hostRaw)) problems.push(`HOST must be an IP address or host name (got "${env.HOST}")`);
  const trustProxyHops = integer(env, 'TRUST_PROXY_HOPS', 0, 0, 10, problems);
  const rateLimitsRaw = env.RATE_LIMITS || 'on';
  if (!['on', 'off'].includes(rateLimitsRaw)) problems.push(`RATE_LIMITS must be on or off (got "${env.RATE_LIMITS}")`);
  const rateLimits: RateLimitSettings = {
    enabled: rateLimitsRaw !== 'off',
    memberPerMinute: integer(env, 'RATE_LIMIT_MEMBER_PER_MINUTE', 1200, 1, 1_000_000, problems),
    anonymousPerMinute: integer(env, 'RATE_LIMIT_ANONYMOUS_PER_MINUTE', 300, 1, 1_000_000, problems),
    signInPerMinute: integer(env, 'RATE_LIMIT_SIGN_IN_PER_MINUTE', 120, 1, 1_000_000, problems),
    refusedSignInAuditsPerMinute: integer(env, 'RATE_LIMIT_REFUSED_SIGN_IN_AUDITS_PER_MINUTE', 30, 1, 1_000_000, problems),
  };
  const file = (name: string): string | undefined => {
    const value = env[name];
    if (!value) return undefined;
    const resolved = path.resolve(cwd, value);
    if (!existsSync(resolved)) problems.push(`${name}: no file at ${resolved}`);
    return resolved;
  };
  const spKey = file('SAML_SP_KEY_FILE');
  const spCert = file('SAML_SP_CERT_FILE');
  const spNextCert = file('SAML_SP_NEXT_CERT_FILE');
  if (production && (!spKey || !spCert)) problems.push('SAML_SP_KEY_FILE and SAML_SP_CERT_FILE are required when NODE_ENV=production (the SP signing and encryption key pair, PEM)');
  if (!spKey !== !spCert) problems.push('SAML_SP_KEY_FILE and SAML_SP_CERT_FILE go together: set both or neither');
  const clockSkew = integer(env, 'SAML_CLOCK_SKEW_SECONDS', 60, 0, 600, problems);
  const idle = integer(env, 'SESSION_IDLE_MINUTES', 120, 5, 10_080, problems);
  const absolute = integer(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 720, problems);
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 32) problems.push('METRICS_TOKEN must be at least 32 characters (for example: openssl rand -base64 32)');
  const metricsPortRaw = env.METRICS_PORT;
  const metricsPort = metricsPortRaw === undefined || metricsPortRaw === '' ? undefined : integer(env, 'METRICS_PORT', 0, 1, 65535, problems);
  if (metricsPort !== undefined && metricsPort === port) problems.push(`METRICS_PORT must differ from PORT (both are ${port})`);
  const logLevel = (env.LOG_LEVEL || 'log') as AppConfig['logLevel'];
  if (!['debug', 'log', 'warn', 'error'].includes(logLevel)) problems.push(`LOG_LEVEL must be debug, log, warn or error (got "${env.LOG_LEVEL}")`);
  if (problems.length > 0) throw new ConfigError(problems);
  return new AppConfig({
    nodeEnv,
    port,
    databaseUrl,
    databaseReadUrl,
    shutdownGraceSeconds: shutdownGrace,
    publicUrl: (publicUrl ?? `http://localhost:${port}`).replace(/\/$/, ''),
    smtpUrl,
    mailFrom: env.MAIL_FROM || 'Practice Exchange <no-reply@practice-exchange.localhost>',
    digestImmediateDelaySeconds: digestDelay,
    outboundAllowPrivateNetworks: allowPrivate,
    appSecret: appSecretRaw || demoSecret(dataDir),
    dataDir,
    graphqlMaxDepth: maxDepth,
    graphqlMaxCost: maxCost,
    graphqlIntrospection: introspection,
    publicCacheSeconds,
    // Demo mode holds a printed token and a sign-in page for anyone: it stays on this machine unless HOST says otherwise.
    host: hostRaw || (databaseUrl === undefined ? '127.0.0.1' : undefined),
    trustProxyHops,
    rateLimits,
    logLevel,
    samlSpKeyFile: spKey,
    samlSpCertFile: spCert,
    samlSpNextCertFile: spNextCert,
    samlClockSkewSeconds: clockSkew,
    sessionIdleMinutes: idle,
    sessionAbsoluteHours: absolute,
    metricsToken,
    metricsPort: metricsPort || undefined,
    migrateOnStart,
  });
}
