import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * When the start refuses to go on without a variable: in production, or whenever the database is a server (so in
 * production too).
 */
export type Requirement = 'in production' | 'outside demo mode';

interface Declared {
  /** What it is for, as the README's Configuration table says it (markdown, one sentence). */
  readonly description: string;
  /** Set when the start refuses to go on without it; every such variable is one production requires. */
  readonly required?: Requirement;
  /** The problem named when it is required and missing, where the usual sentence would not say enough. */
  readonly requiredMessage?: string;
  /**
   * The README's default: after a literal default, a note in brackets; without one, what leaving it unset means
   * (derived from other settings, or generated).
   */
  readonly defaultNote?: string;
  /** An empty value counts as given, and is refused, rather than as unset. */
  readonly emptyIsGiven?: true;
}

/** One environment variable: what it takes and, for the kinds that have them, its default and bounds. */
export type ConfigVariable = Declared &
  (
    | { readonly kind: 'int'; readonly default?: number; readonly min: number; readonly max: number }
    /** `'outside production'`: true unless NODE_ENV=production. */
    | { readonly kind: 'bool'; readonly default: boolean | 'outside production' }
    | { readonly kind: 'enum'; readonly default: string; readonly values: readonly string[] }
    | { readonly kind: 'url'; readonly protocols: readonly string[] }
    | { readonly kind: 'secret'; readonly minLength: number; readonly example: string }
    /** A file that must exist, resolved from the working folder; `pairedWith`: set both or neither. */
    | { readonly kind: 'file'; readonly pairedWith?: string }
    | { readonly kind: 'folder'; readonly default: string }
    | { readonly kind: 'host' }
    | { readonly kind: 'text'; readonly default: string }
  );

const GENERATE_SECRET = 'openssl rand -base64 32';

/**
 * Every environment variable the platform reads, declared once, in the order the README lists them. `loadConfig`
 * parses and validates each from here (rules between variables stay in it); the README's Configuration table is
 * held to this one by test/contract/config-table.spec.ts.
 */
export const CONFIG_VARIABLES = {
  NODE_ENV: {
    kind: 'enum',
    values: ['production', 'development', 'test'],
    default: 'development',
    emptyIsGiven: true,
    description: '`production` refuses to start without the variables marked required, and changes the defaults that say so',
  },
  PORT: { kind: 'int', default: 3000, min: 0, max: 65535, description: 'HTTP port' },
  DATABASE_URL: {
    kind: 'url',
    protocols: ['postgres:', 'postgresql:'],
    required: 'in production',
    defaultNote: 'unset: embedded PostgreSQL, demo mode',
    description: '`postgres://user:password@host:5432/db` of a PostgreSQL 15+ server',
  },
  DATABASE_READ_URL: {
    kind: 'url',
    protocols: ['postgres:', 'postgresql:'],
    defaultNote: 'unset: every read on `DATABASE_URL`',
    description: 'a streaming replica of that database, for lists, search and feeds (see [Read replica](#read-replica)); needs `DATABASE_URL`',
  },
  PUBLIC_URL: {
    kind: 'url',
    protocols: ['http:', 'https:'],
    required: 'in production',
    defaultNote: '`http://localhost:$PORT`',
    description: 'the address people and identity providers use',
  },
  APP_SECRET: {
    kind: 'secret',
    minLength: 32,
    example: GENERATE_SECRET,
    emptyIsGiven: true,
    required: 'outside demo mode',
    defaultNote: 'generated once under `.data/` in demo mode',
    description: 'the key sessions, signed links and stored secrets derive from; required outside demo mode',
  },
  SMTP_URL: { kind: 'url', protocols: ['smtp:', 'smtps:'], description: 'the server digest e-mail goes through' },
  MAIL_FROM: { kind: 'text', default: 'Practice Exchange <no-reply@practice-exchange.localhost>', description: 'sender of digest e-mail' },
  DIGEST_IMMEDIATE_DELAY_SECONDS: { kind: 'int', default: 120, min: 0, max: 86_400, description: 'how long an immediate digest waits to batch' },
  OUTBOUND_ALLOW_PRIVATE_NETWORKS: {
    kind: 'bool',
    default: false,
    description: 'lets outbound HTTP reach loopback and private addresses (tests, closed networks)',
  },
  SAML_SP_KEY_FILE: {
    kind: 'file',
    pairedWith: 'SAML_SP_CERT_FILE',
    required: 'in production',
    requiredMessage: 'SAML_SP_KEY_FILE and SAML_SP_CERT_FILE are required when NODE_ENV=production (the SP signing and encryption key pair, PEM)',
    defaultNote: 'generated once under `.data/saml-sp/` outside production',
    description: "the private key of the SP's signing and encryption key pair (PEM)",
  },
  SAML_SP_CERT_FILE: {
    kind: 'file',
    required: 'in production',
    requiredMessage: 'SAML_SP_KEY_FILE and SAML_SP_CERT_FILE are required when NODE_ENV=production (the SP signing and encryption key pair, PEM)',
    defaultNote: 'generated once under `.data/saml-sp/` outside production',
    description: 'the certificate of that key pair (PEM); set both or neither',
  },
  SAML_SP_NEXT_CERT_FILE: { kind: 'file', description: 'the next SP certificate, published in metadata during a rollover' },
  SAML_CLOCK_SKEW_SECONDS: { kind: 'int', default: 60, min: 0, max: 600, description: "how far an IdP's clock may be off for NotBefore/NotOnOrAfter" },
  SESSION_IDLE_MINUTES: { kind: 'int', default: 120, min: 5, max: 10_080, description: 'a session unused this long ends' },
  SESSION_ABSOLUTE_HOURS: { kind: 'int', default: 12, min: 1, max: 720, description: 'a session ends this long after sign-in, whatever the activity' },
  MIGRATE_ON_START: {
    kind: 'bool',
    default: 'outside production',
    description:
      "whether the API and the worker apply pending migrations when they start; with `false` they only warn how many are pending, and the one-shot `npm run cli -- db:migrate` (the compose file's `migrate` service) applies them",
  },
  GRAPHQL_MAX_DEPTH: { kind: 'int', default: 10, min: 2, max: 50, description: 'deepest GraphQL selection accepted' },
  GRAPHQL_MAX_COST: {
    kind: 'int',
    default: 50_000,
    min: 10,
    max: 10_000_000,
    description: 'most costly GraphQL operation accepted (a connection costs its `first` times what it selects; aliases count)',
  },
  GRAPHQL_INTROSPECTION: {
    kind: 'bool',
    default: 'outside production',
    description: 'whether `__schema`/`__type` are answered; the schema is published as `schema.graphql` either way',
  },
  PUBLIC_CACHE_SECONDS: {
    kind: 'int',
    default: 0,
    min: 0,
    max: 60,
    defaultNote: 'off',
    description:
      "how long an anonymous caller's answer to a public list query (`practices`, `tags`; only published `TLP_CLEAR` practices reach anonymous callers) is served again to other anonymous callers from this process's memory; a caller with a token or a session cookie is never answered from it nor adds to it; a write through this process empties it at once, writes through other processes show within this time",
  },
  HOST: { kind: 'host', defaultNote: '`127.0.0.1` in demo mode, otherwise every interface', description: 'the address to listen on' },
  SHUTDOWN_GRACE_SECONDS: {
    kind: 'int',
    default: 25,
    min: 0,
    max: 600,
    description:
      'on SIGTERM, how long requests in flight and running jobs may finish before they are cut off (see [Rolling restarts and shutdown](#rolling-restarts-and-shutdown))',
  },
  TRUST_PROXY_HOPS: {
    kind: 'int',
    default: 0,
    min: 0,
    max: 10,
    description: "how many reverse proxies in front set `X-Forwarded-For`; per-address rate limits then count the caller's address, not the proxy's",
  },
  METRICS_TOKEN: {
    kind: 'secret',
    minLength: 32,
    example: GENERATE_SECRET,
    description: 'when set, `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>` (in production the main port serves metrics only with it)',
  },
  METRICS_PORT: {
    kind: 'int',
    min: 1,
    max: 65535,
    description:
      'a port of its own (on `HOST`) serving only `/metrics`; the main port then refuses them; the worker serves its metrics only there (see [Monitoring](#monitoring))',
  },
  RATE_LIMITS: { kind: 'enum', values: ['on', 'off'], default: 'on', description: '`off` turns every rate limit off (benchmarks)' },
  RATE_LIMIT_MEMBER_PER_MINUTE: {
    kind: 'int',
    default: 1200,
    min: 1,
    max: 1_000_000,
    description: "requests a minute per API token, or per signed-in member's browser",
  },
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: {
    kind: 'int',
    default: 300,
    min: 1,
    max: 1_000_000,
    description: 'requests a minute per IP address for callers who are not signed in',
  },
  RATE_LIMIT_SIGN_IN_PER_MINUTE: {
    kind: 'int',
    default: 120,
    min: 1,
    max: 1_000_000,
    description: 'requests a minute per IP address to `/auth/saml/*` (a sign-in is two)',
  },
  RATE_LIMIT_REFUSED_SIGN_IN_AUDITS_PER_MINUTE: {
    kind: 'int',
    default: 30,
    min: 1,
    max: 1_000_000,
    description: 'refused sign-ins written to the audit log per organisation a minute; past it they are only logged',
  },
  LOG_LEVEL: {
    kind: 'enum',
    values: ['debug', 'log', 'warn', 'error'],
    default: 'log',
    description: "`log` is pino's `info`; logs are JSON lines on stdout (see [Logs](#logs))",
  },
  DATA_DIR: { kind: 'folder', default: '.data', description: 'where demo mode keeps its database, secret and token' },
} as const satisfies Record<string, ConfigVariable>;

export type ConfigVariableName = keyof typeof CONFIG_VARIABLES;

/** The variables production refuses to start without. */
export function productionRequiredVariables(): ConfigVariableName[] {
  return (Object.keys(CONFIG_VARIABLES) as ConfigVariableName[]).filter((name) => 'required' in CONFIG_VARIABLES[name]);
}

type Env = Record<string, string | undefined>;

/** What each kind parses to: no default means `undefined` when unset. */
type ValueOf<V> = V extends { kind: 'int'; default: number }
  ? number
  : V extends { kind: 'int' }
    ? number | undefined
    : V extends { kind: 'bool' }
      ? boolean
      : V extends { kind: 'enum'; values: readonly (infer T)[] }
        ? T
        : V extends { kind: 'folder' | 'text' }
          ? string
          : string | undefined;

export type ConfigValues = { -readonly [K in ConfigVariableName]: ValueOf<(typeof CONFIG_VARIABLES)[K]> };

/** `a`, `a or b`, `a, b or c`. */
function alternatives(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/**
 * One variable's value, or its default when unset (or malformed, after naming the problem: any problem stops the
 * start, so the value is never used).
 */
function parseVariable(name: string, variable: ConfigVariable, env: Env, cwd: string, production: boolean, problems: string[]): unknown {
  const raw = env[name];
  const given = raw !== undefined && (raw !== '' || variable.emptyIsGiven === true);
  switch (variable.kind) {
    case 'int': {
      if (!given) return variable.default;
      const value = Number(raw);
      if (!/^\d+$/.test(raw.trim()) || value < variable.min || value > variable.max) {
        problems.push(`${name} must be a whole number from ${variable.min} to ${variable.max} (got "${raw}")`);
        return variable.default;
      }
      return value;
    }
    case 'bool': {
      const fallback = variable.default === 'outside production' ? !production : variable.default;
      if (!given) return fallback;
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      problems.push(`${name} must be true or false (got "${raw}")`);
      return fallback;
    }
    case 'enum':
      if (!given) return variable.default;
      if (variable.values.includes(raw)) return raw;
      problems.push(`${name} must be ${alternatives(variable.values)} (got "${raw}")`);
      return variable.default;
    case 'url':
      if (!given) return undefined;
      try {
        const parsed = new URL(raw);
        if (!variable.protocols.includes(parsed.protocol)) {
          problems.push(`${name} must start with ${variable.protocols.map((p) => `${p}//`).join(' or ')} (got "${parsed.protocol}//…")`);
        }
        return raw;
      } catch {
        problems.push(`${name} is not a valid URL`);
        return undefined;
      }
    case 'secret':
      if (!given) return undefined;
      if (raw.length < variable.minLength) problems.push(`${name} must be at least ${variable.minLength} characters (for example: ${variable.example})`);
      return raw;
    case 'file': {
      if (!given) return undefined;
      const resolved = path.resolve(cwd, raw);
      if (!existsSync(resolved)) problems.push(`${name}: no file at ${resolved}`);
      return resolved;
    }
    case 'folder':
      return path.resolve(cwd, given ? raw : variable.default);
    case 'host': {
      const host = raw?.trim();
      if (!host) return undefined;
      if (!/^[\w.:-]{1,253}$/.test(host)) problems.push(`${name} must be an IP address or host name (got "${raw}")`);
      return host;
    }
    case 'text':
      return given ? raw : variable.default;
  }
}

/**
 * Every declared variable parsed and checked on its own, then the requirements: those production needs, those needed
 * outside demo mode (`DATABASE_URL` set), and pairs set together. Problems are added in the table's order.
 */
export function parseConfigVariables(env: Env, cwd: string, problems: string[]): ConfigValues {
  const production = env.NODE_ENV === 'production';
  const values: Record<string, unknown> = {};
  const declared = Object.entries(CONFIG_VARIABLES) as [ConfigVariableName, ConfigVariable][];
  for (const [name, variable] of declared) values[name] = parseVariable(name, variable, env, cwd, production, problems);
  const unset = (name: string) => values[name] === undefined || values[name] === '';
  const add = (problem: string) => {
    if (!problems.includes(problem)) problems.push(problem);
  };
  for (const [name, variable] of declared) {
    const needed = variable.required === 'in production' ? production : variable.required === 'outside demo mode' && (production || !unset('DATABASE_URL'));
    if (needed && unset(name)) {
      const when = variable.required === 'in production' ? 'when NODE_ENV=production' : 'outside demo mode';
      add(variable.requiredMessage ?? `${name} is required ${when}${variable.kind === 'secret' ? ` (for example: ${variable.example})` : ''}`);
    }
    if (variable.kind === 'file' && variable.pairedWith && unset(name) !== unset(variable.pairedWith)) {
      add(`${name} and ${variable.pairedWith} go together: set both or neither`);
    }
  }
  return values as ConfigValues;
}
