import { parseConfigVariables } from './config-variables.js';
import { readDemoSecret, writeDemoSecret } from './demo-secret.js';

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

/**
 * Reads and validates the environment, each variable as `CONFIG_VARIABLES` declares it. Every problem is
 * collected, so one start names all of them. It writes nothing: demo mode's generated secret is read if kept, and
 * kept by {@link keepDemoSecret}, which the entry points call next.
 * @throws ConfigError when a setting is missing or malformed.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const v = parseConfigVariables(env, cwd, problems);
  // Rules between variables; each variable's own rules are in the table.
  if (v.DATABASE_READ_URL && !v.DATABASE_URL) problems.push('DATABASE_READ_URL needs DATABASE_URL: the replica follows a primary, never the embedded database');
  if (v.METRICS_PORT !== undefined && v.METRICS_PORT === v.PORT) problems.push(`METRICS_PORT must differ from PORT (both are ${v.PORT})`);
  if (problems.length > 0) throw new ConfigError(problems);
  const demoMode = v.DATABASE_URL === undefined;
  return new AppConfig({
    nodeEnv: v.NODE_ENV,
    port: v.PORT,
    databaseUrl: v.DATABASE_URL,
    databaseReadUrl: v.DATABASE_READ_URL,
    shutdownGraceSeconds: v.SHUTDOWN_GRACE_SECONDS,
    publicUrl: (v.PUBLIC_URL ?? `http://localhost:${v.PORT}`).replace(/\/$/, ''),
    smtpUrl: v.SMTP_URL,
    mailFrom: v.MAIL_FROM,
    digestImmediateDelaySeconds: v.DIGEST_IMMEDIATE_DELAY_SECONDS,
    outboundAllowPrivateNetworks: v.OUTBOUND_ALLOW_PRIVATE_NETWORKS,
    // Without APP_SECRET the table lets this be demo mode only.
    appSecret: v.APP_SECRET || readDemoSecret(v.DATA_DIR),
    dataDir: v.DATA_DIR,
    graphqlMaxDepth: v.GRAPHQL_MAX_DEPTH,
    graphqlMaxCost: v.GRAPHQL_MAX_COST,
    graphqlIntrospection: v.GRAPHQL_INTROSPECTION,
    publicCacheSeconds: v.PUBLIC_CACHE_SECONDS,
    // Demo mode holds a printed token and a sign-in page for anyone: it stays on this machine unless HOST says otherwise.
    host: v.HOST || (demoMode ? '127.0.0.1' : undefined),
    trustProxyHops: v.TRUST_PROXY_HOPS,
    rateLimits: {
      enabled: v.RATE_LIMITS !== 'off',
      memberPerMinute: v.RATE_LIMIT_MEMBER_PER_MINUTE,
      anonymousPerMinute: v.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      signInPerMinute: v.RATE_LIMIT_SIGN_IN_PER_MINUTE,
      refusedSignInAuditsPerMinute: v.RATE_LIMIT_REFUSED_SIGN_IN_AUDITS_PER_MINUTE,
    },
    logLevel: v.LOG_LEVEL,
    samlSpKeyFile: v.SAML_SP_KEY_FILE,
    samlSpCertFile: v.SAML_SP_CERT_FILE,
    samlSpNextCertFile: v.SAML_SP_NEXT_CERT_FILE,
    samlClockSkewSeconds: v.SAML_CLOCK_SKEW_SECONDS,
    sessionIdleMinutes: v.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: v.SESSION_ABSOLUTE_HOURS,
    metricsToken: v.METRICS_TOKEN,
    metricsPort: v.METRICS_PORT,
    migrateOnStart: v.MIGRATE_ON_START,
  });
}

/**
 * The start's one write for its configuration: on demo mode's first start, the APP_SECRET {@link loadConfig} generated
 * is kept under DATA_DIR, so sessions and signed links survive a restart. The entry points call it right after
 * loadConfig; with APP_SECRET set or outside demo mode it does nothing.
 * @returns the configuration to run with: `config`, or, when another process kept its secret first, `config` with that one.
 */
export function keepDemoSecret(config: AppConfig, env: Env = process.env): AppConfig {
  if (!config.demoMode || env.APP_SECRET) return config;
  const kept = writeDemoSecret(config.dataDir, config.appSecret);
  return kept === config.appSecret ? config : new AppConfig({ ...config, appSecret: kept });
}
