import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Lower layers first: each library may import only those before it. */
export const LIB_ORDER = ['config', 'database', 'identity', 'practices', 'digests'] as const;

export interface SourceFile {
  file: string;
  text: string;
}

export function sourceFiles(root: string, folders: string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ts$/.test(entry) && !/\.d\.ts$/.test(entry)) out.push({ file: path.relative(root, full), text: readFileSync(full, 'utf8') });
    }
  };
  for (const folder of folders) walk(path.join(root, folder));
  return out;
}

/**
 * The only places an app may import another: `npm start` runs the API and the worker in one process (README, "Layout"),
 * so the API's entry point imports the worker's start function, and nothing else of it; and the API mounts the web
 * pages, so its module imports apps/web's public surface (its index), and nothing else of it. apps/web imports
 * libraries only.
 */
const COMPOSITION_ROOTS: Record<string, string[]> = {
  'apps/api/src/main.ts': ['apps/worker/src/bootstrap/start-worker.js'],
  'apps/api/src/app.module.ts': ['apps/web/src/index.js'],
};

/** `libs/<name>` or `apps/<name>` for a path, else undefined. */
export function unitOf(file: string): string | undefined {
  const match = /^(libs|apps)\/([^/]+)\//.exec(file.split(path.sep).join('/'));
  return match ? `${match[1]}/${match[2]}` : undefined;
}

/** The path an import resolves to, relative to the root, for `#lib` and relative imports; undefined for packages. */
function resolvedPath(file: string, spec: string): string | undefined {
  if (spec.startsWith('#')) return `libs/${spec.slice(1)}/src/index.ts`;
  if (spec.startsWith('.'))
    return path
      .normalize(path.join(path.dirname(file), spec))
      .split(path.sep)
      .join('/');
  return undefined;
}

function importsOf(text: string): string[] {
  const specs: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    specs.push((match[1] ?? match[2])!);
  }
  return specs;
}

/**
 * Every import that breaks the layering: a library importing one above it or an app, a relative import that
 * leaves its own library or app, an app reaching into a library other than through `#name`.
 */
export function violations(files: SourceFile[]): string[] {
  const problems: string[] = [];
  for (const { file, text } of files) {
    const unit = unitOf(file);
    if (!unit) continue;
    for (const spec of importsOf(text)) {
      const resolved = resolvedPath(file, spec);
      if (!resolved) continue;
      const target = unitOf(resolved) ?? (resolved.startsWith('migrations/') ? 'migrations' : resolved);
      if (spec.startsWith('.')) {
        if (target !== unit && unit.startsWith('libs/')) problems.push(`${file}: relative import "${spec}" leaves ${unit}; import other libraries as #name`);
        if (target !== unit && unit.startsWith('apps/') && target.startsWith('libs/'))
          problems.push(`${file}: reaches into ${target} by path; import it as #${target.slice(5)}`);
        const composing = COMPOSITION_ROOTS[file.split(path.sep).join('/')]?.includes(resolved) ?? false;
        if (target !== unit && unit.startsWith('apps/') && target.startsWith('apps/') && !composing)
          problems.push(`${file}: an app imports another app (${target})`);
        continue;
      }
      if (unit.startsWith('libs/')) {
        const from = LIB_ORDER.indexOf(unit.slice(5) as (typeof LIB_ORDER)[number]);
        const to = LIB_ORDER.indexOf(target.slice(5) as (typeof LIB_ORDER)[number]);
        if (to < 0) problems.push(`${file}: imports unknown library ${spec}`);
        else if (to >= from && target !== unit)
          problems.push(`${file}: ${unit} may not import ${target} (dependencies point ${[...LIB_ORDER].reverse().join(' → ')})`);
        else if (target === unit) problems.push(`${file}: imports its own library through "${spec}"; use a relative path`);
      }
    }
  }
  return problems;
}

/** Cycles in the graph of units (libraries, apps) their imports draw. */
export function unitCycles(files: SourceFile[]): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const { file, text } of files) {
    const unit = unitOf(file);
    if (!unit) continue;
    for (const spec of importsOf(text)) {
      const resolved = resolvedPath(file, spec);
      const target = resolved && unitOf(resolved);
      if (target && target !== unit) edges.set(unit, new Set([...(edges.get(unit) ?? []), target]));
    }
  }
  const cycles: string[][] = [];
  const visit = (node: string, trail: string[]) => {
    for (const next of edges.get(node) ?? []) {
      const at = trail.indexOf(next);
      if (at >= 0) cycles.push([...trail.slice(at), next]);
      else visit(next, [...trail, next]);
    }
  };
  for (const node of edges.keys()) visit(node, [node]);
  return cycles;
}
