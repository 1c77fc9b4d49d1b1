import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { productionRequiredVariables } from '#config';
import { describeWithTool, toolMissing } from '../support/needs-tool.js';
import { composeProblems, dockerfileProblems } from './deployment-checks.js';

/**
 * No Docker engine runs here, so the deployment files are checked the two ways an operator's first `docker compose up`
 * would fail: Debian's `docker-compose config` reads and interpolates the compose file with an .env made from
 * .env.example, and the parsed file and Dockerfile are held to what production needs.
 */
const ROOT = process.cwd();
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const COMPOSE = read('docker-compose.yml');
const ENV_EXAMPLE = read('.env.example');
const DOCKERFILE = read('Dockerfile');

/** An .env as an operator fills it in from .env.example: every empty value given a made-up one of the right shape. */
function envFromExample(overrides: Record<string, string> = {}): string {
  return ENV_EXAMPLE.split('\n')
    .map((line) => {
      const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
      if (!match) return line;
      const [, name, value] = match;
      if (name in overrides) return `${name}=${overrides[name]}`;
      return value ? line : `${name}=${name.toLowerCase().replace(/_/g, '')}0123456789abcdef0123456789`;
    })
    .join('\n');
}

describe('Deployment files', () => {
  const required = productionRequiredVariables();

  it('knows which variables production requires, from the configuration table', () => {
    expect(required).toEqual(expect.arrayContaining(['APP_SECRET', 'DATABASE_URL', 'PUBLIC_URL', 'SAML_SP_CERT_FILE', 'SAML_SP_KEY_FILE']));
  });

  it('docker-compose.yml: images, health checks, one-shot migrate first, two API replicas behind the proxy, production variables and key files, no written secret', () => {
    expect(composeProblems(COMPOSE, ENV_EXAMPLE, required)).toEqual([]);
    const services = (parse(COMPOSE, { merge: true }) as { services: Record<string, { image?: string }> }).services;
    expect(services.postgres.image).toMatch(/^postgres:17(\b|$)/);
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'migrate', 'api-1', 'api-2', 'worker', 'proxy', 'mailpit']));
  });

  it('the checker catches what a careless edit would do', () => {
    const bad = (from: string, to: string) => {
      expect(COMPOSE).toContain(from);
      return composeProblems(COMPOSE.replace(from, to), ENV_EXAMPLE, required);
    };
    // A secret written in the file, directly or inside a URL.
    expect(
      bad(
        'APP_SECRET: ${APP_SECRET:?set APP_SECRET in .env (openssl rand -base64 32)}',
        'APP_SECRET: sixty-four-characters-of-secret-that-someone-pasted-in-by-mistake',
      ),
    ).toEqual(expect.arrayContaining([expect.stringContaining('APP_SECRET is written in the compose file')]));
    expect(bad('POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}', 'POSTGRES_PASSWORD: hunter2')).toEqual([
      expect.stringContaining('postgres: POSTGRES_PASSWORD is written in the compose file'),
    ]);
    expect(bad(':${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@postgres', ':hunter2@postgres')).toEqual(
      expect.arrayContaining([expect.stringContaining('DATABASE_URL is written in the compose file')]),
    );
    // Replicas that migrate on their own, or start before the migrations ran.
    expect(bad('MIGRATE_ON_START: "false"', 'MIGRATE_ON_START: "true"')).toEqual(
      expect.arrayContaining(['api-1: must not migrate on start', 'worker: must not migrate on start']),
    );
    expect(bad('condition: service_completed_successfully', 'condition: service_started')).toContain('api-1: must wait for migrate to complete successfully');
    expect(bad('restart: "no"', 'restart: unless-stopped')).toEqual(
      expect.arrayContaining(['migrate: must be one-shot (restart: "no")', 'migrate: a long-running service without a health check']),
    );
    // One API replica, a service without a health check, a production variable not given, an unexplained variable.
    expect(bad('  api-2: *api\n', '')).toContain('1 API replica(s); the file shows two');
    expect(bad('      test: ["CMD", "/mailpit", "readyz"]\n', '      disable: true\n')).toContain('mailpit: a long-running service without a health check');
    expect(bad('    PUBLIC_URL: ${PUBLIC_URL', '    PUBLIC_LINK: ${PUBLIC_URL')).toEqual(
      expect.arrayContaining(['migrate: production requires PUBLIC_URL', 'worker: production requires PUBLIC_URL']),
    );
    expect(bad('${PROXY_PORT:-8080}', '${PROXY_LISTEN_PORT:-8080}')).toContain('.env.example does not name PROXY_LISTEN_PORT');
    // The SP key pair not mounted, and the proxy's address taken for every caller's.
    expect(bad('    - ./deploy/saml-sp:/run/secrets/saml-sp:ro\n', '')).toEqual(
      expect.arrayContaining(['api-1: SAML_SP_KEY_FILE is not in a mounted folder', 'migrate: SAML_SP_CERT_FILE is not in a mounted folder']),
    );
    expect(bad('TRUST_PROXY_HOPS: "1"', 'TRUST_PROXY_HOPS: "0"')).toEqual([
      'api-1: behind the proxy, TRUST_PROXY_HOPS must count it',
      'api-2: behind the proxy, TRUST_PROXY_HOPS must count it',
    ]);
  });

  it('Dockerfile: multi-stage, Node 20 on Debian slim, production dependencies only, non-root, HEALTHCHECK, the API by default', () => {
    expect(dockerfileProblems(DOCKERFILE)).toEqual([]);
    expect(dockerfileProblems(DOCKERFILE.replace(/^USER node$/m, ''))).toEqual(['the final stage runs as root (no USER)']);
    expect(dockerfileProblems(DOCKERFILE.replace('npm ci --omit=dev', 'npm ci'))).toEqual([
      'the final stage does not install production dependencies only (npm ci --omit=dev)',
    ]);
    expect(dockerfileProblems(DOCKERFILE.replace('--max-old-space-size=256', '--max-old-space-size=4096'))).toEqual([
      'the default command is not the API as the benchmark runs it (["node","--max-old-space-size=256","dist/apps/api/src/main.js","--no-worker"])',
    ]);
    expect(dockerfileProblems('FROM node:22\nRUN npm ci --omit=dev\nCMD ["node", "main.js"]\n')).toEqual(
      expect.arrayContaining(['not multi-stage', 'stage FROM node:22: not Node 20 on Debian slim', 'no HEALTHCHECK in the final stage']),
    );
  });

  it('.dockerignore keeps secrets, dependencies and build output out of the image', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules', 'dist', '.data', 'deploy/saml-sp']));
  });
});

describeWithTool('docker-compose config', toolMissing('docker-compose', ['version'], 'apt-get install docker-compose; .ci/run installs it'), () => {
  let project: string;
  beforeAll(() => {
    // The compose file with its neighbours, as an operator's checkout has them, plus the .env they would write.
    project = mkdtempSync(path.join(os.tmpdir(), 'pe-compose-'));
    cpSync(path.join(ROOT, 'docker-compose.yml'), path.join(project, 'docker-compose.yml'));
    cpSync(path.join(ROOT, 'deploy'), path.join(project, 'deploy'), { recursive: true });
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const config = (env: string) => {
    writeFileSync(path.join(project, '.env'), env);
    return spawnSync('docker-compose', ['config'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
  };

  it('accepts the file with an .env filled in from .env.example, and gives every process what it was given', () => {
    const result = config(envFromExample({ POSTGRES_PASSWORD: 'pw0123456789abcdef' }));
    expect(result.stderr).not.toMatch(/error|invalid/i);
    expect(result.status).toBe(0);
    const resolved = parse(result.stdout) as { services: Record<string, { environment: Record<string, string> }> };
    expect(Object.keys(resolved.services).sort()).toEqual(['api-1', 'api-2', 'mailpit', 'migrate', 'postgres', 'proxy', 'worker']);
    for (const name of ['api-1', 'api-2', 'worker', 'migrate']) {
      expect(resolved.services[name].environment.DATABASE_URL).toBe('postgres://practice_exchange:pw0123456789abcdef@postgres:5432/practice_exchange');
      expect(resolved.services[name].environment.APP_SECRET).toMatch(/^appsecret0123/);
    }
    expect(resolved.services['api-1'].environment.TRUST_PROXY_HOPS).toBe('1');
  });

  it('refuses to start while a required secret is empty, and says which', () => {
    const result = config(envFromExample({ APP_SECRET: '' }));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set APP_SECRET in .env');
  });
});
