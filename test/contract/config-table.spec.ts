import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_VARIABLES, loadConfig, type ConfigVariable } from '#config';

/**
 * The README's Configuration table is the configuration table of libs/config, rendered: every variable once, in the
 * same order, with its default, what it accepts, whether production requires it and what it is for. A difference
 * fails here; after changing the declarations, `UPDATE_README=1` rewrites the README's table from them.
 */
const README = path.join(process.cwd(), 'README.md');
const HEADER = ['variable', 'default', 'accepts', 'production', 'meaning'] as const;

type Row = Record<(typeof HEADER)[number], string>;

const code = (text: string | number) => `\`${text}\``;

/** `a`, `a or b`, `a, b or c`. */
function alternatives(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function defaultCell(variable: ConfigVariable): string {
  if (!('default' in variable) || variable.default === undefined) return variable.defaultNote ?? 'unset';
  if (variable.default === 'outside production') return '`true`, but `false` when `NODE_ENV=production`';
  return `${code(String(variable.default))}${variable.defaultNote ? ` (${variable.defaultNote})` : ''}`;
}

function acceptsCell(variable: ConfigVariable): string {
  switch (variable.kind) {
    case 'int':
      return `${code(variable.min)}–${code(variable.max)}`;
    case 'bool':
      return '`true` or `false` (`1`, `0`)';
    case 'enum':
      return alternatives(variable.values.map(code));
    case 'url':
      return `${variable.protocols.map((p) => code(`${p}//`)).join(' or ')} URL`;
    case 'secret':
      return `${variable.minLength} characters or more`;
    case 'file':
      return "a file's path";
    case 'folder':
      return "a folder's path";
    case 'host':
      return 'an IP address or host name';
    case 'text':
      return 'text';
  }
}

function expectedRows(): Row[] {
  return (Object.entries(CONFIG_VARIABLES) as [string, ConfigVariable][]).map(([name, variable]) => ({
    variable: code(name),
    default: defaultCell(variable),
    accepts: acceptsCell(variable),
    production: variable.required ? 'required' : '',
    meaning: variable.description,
  }));
}

function renderTable(rows: Row[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...rows.map((row) => line(HEADER.map((column) => row[column])))].join('\n');
}

/** The table under `### Configuration`: where it starts and ends in the text, and its rows. */
function readmeTable(text: string): { start: number; end: number; header: string[]; rows: Row[] } {
  const heading = text.indexOf('\n### Configuration\n');
  if (heading < 0) throw new Error('README.md has no "### Configuration" section');
  const start = text.indexOf('\n|', heading) + 1;
  const end = text.indexOf('\n\n', start);
  const [header, , ...lines] = text.slice(start, end).split('\n');
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  return {
    start,
    end,
    header: cells(header ?? ''),
    rows: lines.map((line) => Object.fromEntries(HEADER.map((column, i) => [column, cells(line)[i] ?? ''])) as Row),
  };
}

describe("README's Configuration table", () => {
  if (process.env.UPDATE_README === '1') {
    const text = readFileSync(README, 'utf8');
    const { start, end } = readmeTable(text);
    writeFileSync(README, `${text.slice(0, start)}${renderTable(expectedRows())}${text.slice(end)}`);
  }
  const { header, rows } = readmeTable(readFileSync(README, 'utf8'));
  const expected = expectedRows();

  it('lists exactly the declared variables, in their order', () => {
    expect(header).toEqual([...HEADER]);
    expect(rows.map((row) => row.variable)).toEqual(expected.map((row) => row.variable));
  });

  it('gives each its declared default and production marker', () => {
    const pick = (all: Row[]) => all.map(({ variable, default: value, production }) => ({ variable, default: value, production }));
    expect(pick(rows)).toEqual(pick(expected));
    expect(rows.filter((row) => row.production === 'required').map((row) => row.variable)).toEqual(
      expect.arrayContaining(['`DATABASE_URL`', '`APP_SECRET`', '`PUBLIC_URL`', '`SAML_SP_KEY_FILE`', '`SAML_SP_CERT_FILE`']),
    );
  });

  it('says what each accepts and is for as declared (UPDATE_README=1 rewrites it)', () => {
    expect(rows).toEqual(expected);
  });

  it('declarations fit in a table cell', () => {
    for (const row of expected) expect(Object.values(row).join('')).not.toMatch(/[|\n]/);
  });
});

describe('.env.example', () => {
  const text = readFileSync(path.join(process.cwd(), '.env.example'), 'utf8');
  const compose = readFileSync(path.join(process.cwd(), 'docker-compose.yml'), 'utf8');
  const declared = new Set(Object.keys(CONFIG_VARIABLES));

  it("names only declared variables and the compose file's own", () => {
    const named = [...text.matchAll(/^#?\s*([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
    const composeOwn = new Set([...compose.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
    expect(named.filter((name) => !declared.has(name) && !composeOwn.has(name))).toEqual([]);
    expect(named.filter((name) => declared.has(name)).length).toBeGreaterThan(3);
  });

  it('holds values the configuration accepts', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'pe-env-example-'));
    try {
      writeFileSync(path.join(cwd, 'sp.key'), 'key');
      writeFileSync(path.join(cwd, 'sp.crt'), 'cert');
      const given = Object.fromEntries([...text.matchAll(/^([A-Z_][A-Z0-9_]*)=(.+)$/gm)].filter((m) => declared.has(m[1]!)).map((m) => [m[1]!, m[2]!]));
      const production = {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://pe@db/pe',
        APP_SECRET: 's'.repeat(32),
        SAML_SP_KEY_FILE: 'sp.key',
        SAML_SP_CERT_FILE: 'sp.crt',
      };
      expect(Object.keys(given)).toEqual(expect.arrayContaining(['PUBLIC_URL', 'SMTP_URL']));
      expect(() => loadConfig({ ...production, ...given }, cwd)).not.toThrow();
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
