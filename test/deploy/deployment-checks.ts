import { parse } from 'yaml';
import { API_COMMAND } from '../../bench/run/api-command.js';

/** The services that run the platform's own code and need its configuration. */
const APP_SERVICE = /^(api(-\d+)?|worker|migrate)$/;
const API_SERVICE = /^api(-\d+)?$/;
/** Variable names whose values are secrets: they must come from .env, never be written in the compose file. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|API_KEY)/;
/** A value made only of `${VAR}`, `${VAR:-default}` or `${VAR:?message}` interpolations. */
const ONLY_INTERPOLATION = /^(\$\{[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?\})+$/;
/** `$VAR` or `${VAR…}` in the compose text; `$$` is a literal dollar. */
const INTERPOLATED = /(?<!\$)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  restart?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  volumes?: (string | { target?: string })[];
  deploy?: { replicas?: number };
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

function conditionOn(service: Service, other: string): string | undefined {
  const deps = service.depends_on;
  if (!deps) return undefined;
  if (Array.isArray(deps)) return deps.includes(other) ? 'service_started' : undefined;
  return deps[other] ? (deps[other].condition ?? 'service_started') : undefined;
}

function commandText(service: Service): string {
  return Array.isArray(service.command) ? service.command.join(' ') : (service.command ?? '');
}

/** Names that `.env.example` assigns, commented out or not (`NAME=…` or `# NAME=…`). */
function exampleNames(envExample: string): Set<string> {
  return new Set([...envExample.matchAll(/^#?\s*([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]));
}

/** Whether a value writes a secret in the clear: a secret-named variable not interpolated, or a URL's password. */
function literalSecret(name: string, value: string): boolean {
  if (SECRET_NAME.test(name) && !name.endsWith('_FILE') && value !== '' && !ONLY_INTERPOLATION.test(value)) return true;
  // With the interpolations taken out, a URL's password must be empty.
  const written = value.replace(/\$\{[^}]*\}/g, '');
  return /^[a-z][a-z0-9+.-]*:\/\/[^/@:]*:[^@/]+@/i.test(written);
}

/**
 * What is wrong with a compose file for production, as sentences (empty when nothing is): services without an image,
 * long-running services without a health check, migrations not run once before the platform, fewer than two API
 * replicas, production variables not given to a process, secrets written in the file, and interpolated variables
 * that `.env.example` does not explain.
 */
export function composeProblems(composeText: string, envExample: string, required: string[]): string[] {
  const problems: string[] = [];
  const compose = parse(composeText, { merge: true }) as { services?: Record<string, Service> };
  const services = compose.services ?? {};
  for (const [name, service] of Object.entries(services)) {
    if (!service.image && !service.build) problems.push(`${name}: no image and no build`);
    const oneShot = service.restart === 'no';
    const check = service.healthcheck;
    if (!oneShot && (!check || check.disable || !check.test || (Array.isArray(check.test) && check.test[0] === 'NONE'))) {
      problems.push(`${name}: a long-running service without a health check`);
    }
    for (const [key, value] of Object.entries(environmentOf(service))) {
      if (literalSecret(key, value)) problems.push(`${name}: ${key} is written in the compose file; take it from .env with \${${key}:?…}`);
    }
  }

  const migrate = services.migrate;
  if (!migrate) problems.push('no migrate service');
  else {
    if (migrate.restart !== 'no') problems.push('migrate: must be one-shot (restart: "no")');
    if (!commandText(migrate).includes('db:migrate')) problems.push('migrate: its command does not run db:migrate');
  }
  const apis = Object.keys(services).filter((name) => API_SERVICE.test(name));
  const replicas = apis.reduce((sum, name) => sum + (services[name].deploy?.replicas ?? 1), 0);
  if (replicas !== 2) problems.push(`${replicas} API replica(s); the file shows two`);
  for (const name of [...apis, 'worker']) {
    if (!services[name]) {
      problems.push(`no ${name} service`);
      continue;
    }
    if (conditionOn(services[name], 'migrate') !== 'service_completed_successfully') {
      problems.push(`${name}: must wait for migrate to complete successfully`);
    }
    if (/^(true|1)$/.test(environmentOf(services[name]).MIGRATE_ON_START ?? '')) problems.push(`${name}: must not migrate on start`);
  }
  for (const [name, service] of Object.entries(services).filter(([n]) => APP_SERVICE.test(n))) {
    const env = environmentOf(service);
    if (env.NODE_ENV !== 'production') problems.push(`${name}: NODE_ENV is not production`);
    const missing = required.filter((variable) => !env[variable]);
    if (missing.length) problems.push(`${name}: production requires ${missing.join(', ')}`);
    // Key files live on the host, mounted into the container; never baked into the image.
    const mounts = (service.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] : v.target)).filter(Boolean) as string[];
    for (const variable of ['SAML_SP_KEY_FILE', 'SAML_SP_CERT_FILE']) {
      const file = env[variable];
      if (file && !mounts.some((target) => file.startsWith(`${target.replace(/\/$/, '')}/`))) problems.push(`${name}: ${variable} is not in a mounted folder`);
    }
  }
  for (const name of apis) {
    if (!/^[1-9]$/.test(environmentOf(services[name]).TRUST_PROXY_HOPS ?? '')) problems.push(`${name}: behind the proxy, TRUST_PROXY_HOPS must count it`);
  }

  const explained = exampleNames(envExample);
  const interpolated = new Set([...composeText.matchAll(INTERPOLATED)].map((m) => m[1] ?? m[2]));
  const unexplained = [...interpolated].filter((name) => !explained.has(name)).sort();
  if (unexplained.length) problems.push(`.env.example does not name ${unexplained.join(', ')}`);
  return problems;
}

/** One Dockerfile instruction: its keyword and arguments, continuation lines joined. */
function instructions(dockerfile: string): { keyword: string; args: string }[] {
  return dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/**
 * What is wrong with the Dockerfile for production: one stage only, another base than Node 20 on Debian slim, the
 * final stage running as root, without HEALTHCHECK, EXPOSE or a command, or with dev dependencies.
 */
export function dockerfileProblems(dockerfile: string): string[] {
  const problems: string[] = [];
  const all = instructions(dockerfile);
  const stages: { keyword: string; args: string }[][] = [];
  for (const instruction of all) {
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  if (stages.length < 2) problems.push('not multi-stage');
  const stageNames = new Set(stages.map((s) => /\bAS\s+(\S+)/i.exec(s[0].args)?.[1]).filter(Boolean));
  for (const stage of stages) {
    const image = stage[0].args.replace(/^--platform=\S+\s+/, '').split(/\s+/)[0];
    if (!stageNames.has(image) && !/^node:20[.\d]*-(bookworm|bullseye|trixie)-slim$/.test(image)) {
      problems.push(`stage FROM ${image}: not Node 20 on Debian slim`);
    }
  }
  const final = stages.at(-1) ?? [];
  const users = final.filter((i) => i.keyword === 'USER');
  const user = users.at(-1)?.args;
  if (!user || /^(root|0)(:|$)/.test(user)) problems.push('the final stage runs as root (no USER)');
  const npmInstalls = final.filter((i) => i.keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(i.args));
  if (!npmInstalls.length || npmInstalls.some((i) => !i.args.includes('--omit=dev'))) {
    problems.push('the final stage does not install production dependencies only (npm ci --omit=dev)');
  }
  if (!final.some((i) => i.keyword === 'HEALTHCHECK' && !/^NONE$/i.test(i.args))) problems.push('no HEALTHCHECK in the final stage');
  if (!final.some((i) => i.keyword === 'EXPOSE')) problems.push('no EXPOSE in the final stage');
  const cmd = final.filter((i) => i.keyword === 'CMD').at(-1);
  if (!cmd || !cmd.args.includes('--no-worker')) problems.push('the default command is not the API alone (--no-worker)');
  else if (!sameCommand(cmd.args, API_COMMAND)) problems.push(`the default command is not the API as the benchmark runs it (${JSON.stringify(API_COMMAND)})`);
  return problems;
}

/** Whether a CMD in exec form runs exactly `command`. */
function sameCommand(args: string, command: readonly string[]): boolean {
  try {
    return JSON.stringify(JSON.parse(args)) === JSON.stringify(command);
  } catch {
    return false;
  }
}
