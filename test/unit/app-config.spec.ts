import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, keepDemoSecret, loadConfig, productionRequiredVariables } from '#config';

const PRODUCTION_FILES = { SAML_SP_KEY_FILE: 'sp.key', SAML_SP_CERT_FILE: 'sp.crt' };

/** A missing or malformed setting stops the start with a message naming it; demo mode only without DATABASE_URL. */
describe('loadConfig', () => {
  const SECRET = 's'.repeat(32);
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(path.join(os.tmpdir(), 'pe-config-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  /** The problems a ConfigError lists, or fails when no ConfigError is thrown. */
  function problemsOf(env: Record<string, string | undefined>): string[] {
    try {
      loadConfig(env, cwd);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
  }

  it('defaults: development, port 3000, embedded database (demo mode), sensible limits', () => {
    const config = loadConfig({}, cwd);
    expect(config.nodeEnv).toBe('development');
    expect(config.production).toBe(false);
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.demoMode).toBe(true);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.smtpUrl).toBeUndefined();
    expect(config.digestImmediateDelaySeconds).toBe(120);
    expect(config.outboundAllowPrivateNetworks).toBe(false);
    expect(config.dataDir).toBe(path.join(cwd, '.data'));
    expect(config.graphqlMaxDepth).toBeGreaterThan(1);
    expect(config.graphqlMaxCost).toBeGreaterThan(0);
  });

  it('demo mode generates an app secret once, private to its owner, and keeps it across restarts', () => {
    // What the entry points do: load, then keep the secret on the first start.
    const first = keepDemoSecret(loadConfig({}, cwd), {});
    expect(first.appSecret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(cwd, '.data', 'app-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.appSecret);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(loadConfig({}, cwd).appSecret).toBe(first.appSecret);
    expect(keepDemoSecret(loadConfig({}, cwd), {}).appSecret).toBe(first.appSecret);
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'pe-config-'));
    try {
      expect(keepDemoSecret(loadConfig({}, elsewhere), {}).appSecret).not.toBe(first.appSecret);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('loading the configuration writes no file, even on a fresh, empty DATA_DIR in demo mode', () => {
    const dataDir = path.join(cwd, 'data');
    mkdirSync(dataDir);
    const demo = loadConfig({ DATA_DIR: dataDir }, cwd);
    expect(demo.demoMode).toBe(true);
    expect(demo.appSecret.length).toBeGreaterThanOrEqual(32);
    expect(readdirSync(dataDir)).toEqual([]);
    // Nor does it make the folder, or anything beside it.
    loadConfig({}, cwd);
    loadConfig({ DATA_DIR: 'elsewhere', APP_SECRET: SECRET, DATABASE_URL: 'postgres://pe@db/pe' }, cwd);
    expect(readdirSync(cwd)).toEqual(['data']);
  });

  it('the secret is kept only in demo mode without APP_SECRET, and a secret another process kept first wins', () => {
    const dataDir = path.join(cwd, '.data');
    keepDemoSecret(loadConfig({ APP_SECRET: SECRET }, cwd), { APP_SECRET: SECRET });
    const server = { APP_SECRET: SECRET, DATABASE_URL: 'postgres://pe@db/pe' };
    keepDemoSecret(loadConfig(server, cwd), server);
    expect(existsSync(dataDir)).toBe(false);
    const config = loadConfig({}, cwd);
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, 'app-secret'), `${'k'.repeat(43)}\n`);
    expect(keepDemoSecret(config, {}).appSecret).toBe('k'.repeat(43));
    expect(keepDemoSecret(config, {}).demoMode).toBe(true);
  });

  it('PORT=abc is a ConfigError naming PORT', () => {
    const problems = problemsOf({ PORT: 'abc' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('PORT');
    expect(problems[0]).toContain('abc');
    expect(problemsOf({ PORT: '70000' })[0]).toContain('PORT');
    expect(problemsOf({ PORT: '-1' })[0]).toContain('PORT');
    expect(loadConfig({ PORT: '8080' }, cwd).port).toBe(8080);
  });

  it('the error message lists every problem, so one start names them all', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'http://db', APP_SECRET: 'short' }, cwd);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'APP_SECRET']) expect(message).toContain(name);
    }
  });

  it('NODE_ENV=production without DATABASE_URL, APP_SECRET and PUBLIC_URL names each of them', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    for (const name of ['DATABASE_URL', 'APP_SECRET', 'PUBLIC_URL']) {
      expect(problems.filter((p) => p.includes(name))).toHaveLength(1);
    }
    // Nothing is generated on the way to refusing.
    expect(existsSync(path.join(cwd, '.data', 'app-secret'))).toBe(false);
  });

  it('production refuses to start without exactly the variables the table marks required', () => {
    const named = problemsOf({ NODE_ENV: 'production' }).flatMap((problem) => problem.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? []);
    expect([...new Set(named)].filter((name) => name !== 'NODE_ENV').sort()).toEqual([...productionRequiredVariables()].sort());
  });

  it("every whole-number variable takes its table's bounds and no further", () => {
    for (const [name, variable] of Object.entries(CONFIG_VARIABLES)) {
      if (variable.kind !== 'int') continue;
      const range = `${name} must be a whole number from ${variable.min} to ${variable.max}`;
      expect(problemsOf({ [name]: String(variable.max + 1) })).toEqual([expect.stringContaining(range)]);
      if (variable.min > 0) expect(problemsOf({ [name]: String(variable.min - 1) })).toEqual([expect.stringContaining(range)]);
      // PORT's bounds include METRICS_PORT's: set apart so that they never meet.
      const other = name === 'PORT' ? { METRICS_PORT: '1' } : {};
      expect(() => loadConfig({ ...other, [name]: String(variable.min) }, cwd)).not.toThrow();
      expect(() => loadConfig({ ...other, [name]: String(variable.max) }, cwd)).not.toThrow();
    }
  });

  it('NODE_ENV=production with the database, secret, public URL and SP key pair starts, outside demo mode', () => {
    writeFileSync(path.join(cwd, 'sp.key'), 'key');
    writeFileSync(path.join(cwd, 'sp.crt'), 'cert');
    const config = loadConfig(
      {
        ...PRODUCTION_FILES,
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://pe@db.internal/pe',
        APP_SECRET: SECRET,
        PUBLIC_URL: 'https://exchange.example.gov.uk',
      },
      cwd,
    );
    expect(config.production).toBe(true);
    expect(config.demoMode).toBe(false);
    expect(config.appSecret).toBe(SECRET);
    expect(config.publicUrl).toBe('https://exchange.example.gov.uk');
    expect(config.samlSpKeyFile).toBe(path.join(cwd, 'sp.key'));
    expect(config.secureCookies).toBe(true);
  });

  it('production refuses to start without the SP key pair, and a named file must exist', () => {
    const base = { NODE_ENV: 'production', DATABASE_URL: 'postgres://pe@db.internal/pe', APP_SECRET: SECRET, PUBLIC_URL: 'https://exchange.example.gov.uk' };
    expect(problemsOf(base).some((p) => p.includes('SAML_SP_KEY_FILE') && p.includes('SAML_SP_CERT_FILE'))).toBe(true);
    expect(
      problemsOf({ ...base, SAML_SP_KEY_FILE: 'missing.key', SAML_SP_CERT_FILE: 'missing.crt' }).some((p) => p.includes('SAML_SP_KEY_FILE: no file')),
    ).toBe(true);
  });

  it('an APP_SECRET shorter than 32 characters is refused', () => {
    const problems = problemsOf({ APP_SECRET: 's'.repeat(31) });
    expect(problems.some((p) => p.includes('APP_SECRET') && p.includes('32'))).toBe(true);
    expect(loadConfig({ APP_SECRET: SECRET }, cwd).appSecret).toBe(SECRET);
  });

  it('APP_SECRET is required as soon as DATABASE_URL is set, even outside production', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://pe@localhost/pe' }).some((p) => p.includes('APP_SECRET'))).toBe(true);
  });

  it('a DATABASE_URL that is not postgres:// is refused, naming DATABASE_URL', () => {
    const problems = problemsOf({ DATABASE_URL: 'http://db.internal/pe', APP_SECRET: SECRET });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('DATABASE_URL');
    expect(problemsOf({ DATABASE_URL: 'not a url', APP_SECRET: SECRET })[0]).toContain('DATABASE_URL');
    expect(loadConfig({ DATABASE_URL: 'postgresql://pe@db/pe', APP_SECRET: SECRET }, cwd).databaseUrl).toBe('postgresql://pe@db/pe');
  });

  it('DATABASE_READ_URL is a postgres:// URL beside DATABASE_URL, never alone', () => {
    const primary = { DATABASE_URL: 'postgres://pe@primary/pe', APP_SECRET: SECRET };
    expect(loadConfig({ ...primary }, cwd).databaseReadUrl).toBeUndefined();
    expect(loadConfig({ ...primary, DATABASE_READ_URL: 'postgres://pe@replica/pe' }, cwd).databaseReadUrl).toBe('postgres://pe@replica/pe');
    expect(problemsOf({ ...primary, DATABASE_READ_URL: 'mysql://replica/pe' })).toEqual([expect.stringContaining('DATABASE_READ_URL')]);
    expect(problemsOf({ DATABASE_READ_URL: 'postgres://pe@replica/pe' })).toEqual([expect.stringMatching(/DATABASE_READ_URL needs DATABASE_URL/)]);
  });

  it('SHUTDOWN_GRACE_SECONDS defaults to 25 and takes 0 to 600 whole seconds', () => {
    expect(loadConfig({}, cwd).shutdownGraceSeconds).toBe(25);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '0' }, cwd).shutdownGraceSeconds).toBe(0);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '600' }, cwd).shutdownGraceSeconds).toBe(600);
    for (const bad of ['601', '-1', '2.5', 'soon'])
      expect(problemsOf({ SHUTDOWN_GRACE_SECONDS: bad })).toEqual([expect.stringContaining('SHUTDOWN_GRACE_SECONDS must be a whole number from 0 to 600')]);
  });

  it('other malformed settings are named too', () => {
    expect(problemsOf({ PUBLIC_URL: 'ftp://x' })[0]).toContain('PUBLIC_URL');
    expect(problemsOf({ SMTP_URL: 'http://mail' })[0]).toContain('SMTP_URL');
    expect(problemsOf({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'yes' })[0]).toContain('OUTBOUND_ALLOW_PRIVATE_NETWORKS');
    expect(problemsOf({ DIGEST_IMMEDIATE_DELAY_SECONDS: '1.5' })[0]).toContain('DIGEST_IMMEDIATE_DELAY_SECONDS');
    expect(problemsOf({ NODE_ENV: 'prod' })[0]).toContain('NODE_ENV');
  });

  it('demo mode is on only without DATABASE_URL, whatever else is set', () => {
    const base = { APP_SECRET: SECRET, PUBLIC_URL: 'http://localhost:3000' };
    expect(loadConfig({ ...base }, cwd).demoMode).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'test' }, cwd).demoMode).toBe(true);
    for (const nodeEnv of ['development', 'test', 'production']) {
      writeFileSync(path.join(cwd, 'sp.key'), 'key');
      writeFileSync(path.join(cwd, 'sp.crt'), 'cert');
      const config = loadConfig({ ...base, ...PRODUCTION_FILES, NODE_ENV: nodeEnv, DATABASE_URL: 'postgres://pe@db/pe', DEMO: 'true', DEMO_MODE: 'true' }, cwd);
      expect(config.demoMode).toBe(false);
    }
  });
  describe('safe defaults for what one caller can cost and reach', () => {
    const production = () => {
      writeFileSync(path.join(cwd, 'sp.key'), 'key');
      writeFileSync(path.join(cwd, 'sp.crt'), 'cert');
      return {
        ...PRODUCTION_FILES,
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://pe@db.internal/pe',
        APP_SECRET: SECRET,
        PUBLIC_URL: 'https://exchange.example.gov.uk',
      };
    };

    it('introspection is on outside production, off in production unless GRAPHQL_INTROSPECTION=true', () => {
      expect(loadConfig({}, cwd).graphqlIntrospection).toBe(true);
      expect(loadConfig(production(), cwd).graphqlIntrospection).toBe(false);
      expect(loadConfig({ ...production(), GRAPHQL_INTROSPECTION: 'true' }, cwd).graphqlIntrospection).toBe(true);
      expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }, cwd).graphqlIntrospection).toBe(false);
      expect(problemsOf({ GRAPHQL_INTROSPECTION: 'yes' })[0]).toContain('GRAPHQL_INTROSPECTION');
    });

    it('demo mode listens on 127.0.0.1 unless HOST is set; outside demo mode, every interface unless HOST is set', () => {
      expect(loadConfig({}, cwd).host).toBe('127.0.0.1');
      expect(loadConfig({ HOST: '0.0.0.0' }, cwd).host).toBe('0.0.0.0');
      expect(loadConfig(production(), cwd).host).toBeUndefined();
      expect(loadConfig({ ...production(), HOST: '10.0.0.5' }, cwd).host).toBe('10.0.0.5');
      expect(loadConfig({ APP_SECRET: SECRET, DATABASE_URL: 'postgres://pe@db/pe' }, cwd).host).toBeUndefined();
      expect(problemsOf({ HOST: 'not a host' })[0]).toContain('HOST');
    });

    it('rate limits are on by default, roomy enough for a person or an integration, each configurable; RATE_LIMITS=off turns them off', () => {
      const limits = loadConfig({}, cwd).rateLimits;
      expect(limits.enabled).toBe(true);
      expect(limits.memberPerMinute).toBeGreaterThanOrEqual(600);
      // A sign-in is two requests (login, then the IdP's post to the ACS): at least 30 a minute from one address.
      expect(limits.signInPerMinute).toBeGreaterThanOrEqual(60);
      expect(limits.anonymousPerMinute).toBeGreaterThan(0);
      expect(limits.refusedSignInAuditsPerMinute).toBeGreaterThan(0);
      expect(loadConfig({ RATE_LIMITS: 'off' }, cwd).rateLimits.enabled).toBe(false);
      const custom = loadConfig(
        {
          RATE_LIMIT_MEMBER_PER_MINUTE: '50',
          RATE_LIMIT_ANONYMOUS_PER_MINUTE: '40',
          RATE_LIMIT_SIGN_IN_PER_MINUTE: '30',
          RATE_LIMIT_REFUSED_SIGN_IN_AUDITS_PER_MINUTE: '20',
          TRUST_PROXY_HOPS: '1',
        },
        cwd,
      );
      expect(custom.rateLimits).toEqual({ enabled: true, memberPerMinute: 50, anonymousPerMinute: 40, signInPerMinute: 30, refusedSignInAuditsPerMinute: 20 });
      expect(custom.trustProxyHops).toBe(1);
      expect(problemsOf({ RATE_LIMITS: 'false' })[0]).toContain('RATE_LIMITS');
      expect(problemsOf({ RATE_LIMIT_MEMBER_PER_MINUTE: '0' })[0]).toContain('RATE_LIMIT_MEMBER_PER_MINUTE');
      expect(problemsOf({ RATE_LIMIT_SIGN_IN_PER_MINUTE: 'many' })[0]).toContain('RATE_LIMIT_SIGN_IN_PER_MINUTE');
      expect(problemsOf({ TRUST_PROXY_HOPS: 'true' })[0]).toContain('TRUST_PROXY_HOPS');
    });
  });
});
