import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Comments, tests and docs explain themselves or point at what a reader of the repository has: the README, the ADRs
 * under docs/adr/, the libraries' READMEs. A tracker's issue number or a file beside the checkout means nothing to
 * someone who clones the repository, so neither may appear. A third party's bug is cited as `owner/repo#N`, which
 * names where it lives.
 */
const FORBIDDEN: { what: string; pattern: RegExp }[] = [
  { what: 'an issue number', pattern: /\bissue\s*#?\d+/i },
  { what: 'a point of an issue', pattern: /\bpoints?\s+\d+\s+of\s+the\s+issue\b/i },
  { what: 'a file beside the repository', pattern: /\.\.\/shared\// },
  { what: 'a path on a workstation', pattern: /(^|[\s'"`(])\/work\// },
  { what: 'a design document outside the repository', pattern: /\b(DESIGN|CONVENTIONS)\.md\b/ },
];

const FOLDERS = ['apps', 'libs', 'migrations', 'bench', 'scripts', 'test', 'docs'];
const TEXT = /\.(ts|mts|mjs|cjs|js|md|njk|json|sql|txt|sh|css|svg|ya?ml)$/;
const SKIPPED = new Set(['node_modules', 'dist', 'artifacts']);

function textFiles(root: string): string[] {
  const out = [path.join(root, 'README.md')];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (entry.startsWith('.') || SKIPPED.has(entry)) continue;
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (TEXT.test(entry)) out.push(full);
    }
  };
  for (const folder of FOLDERS) walk(path.join(root, folder));
  return out;
}

/** Each offending line as `file:line: what`. */
export function outsideReferences(files: { file: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { file, text } of files) {
    text.split('\n').forEach((line, index) => {
      for (const { what, pattern } of FORBIDDEN) if (pattern.test(line)) found.push(`${file}:${index + 1}: ${what}: ${line.trim()}`);
    });
  }
  return found;
}

describe('references in comments, tests and docs', () => {
  const root = process.cwd();
  const files = textFiles(root).map((full) => ({ file: path.relative(root, full), text: readFileSync(full, 'utf8') }));

  it('reads the whole tree, docs included', () => {
    expect(files.length).toBeGreaterThan(300);
    for (const file of ['README.md', 'docs/adr/0001-visibility-model.md', 'libs/config/README.md', 'test/architecture/references.spec.ts']) {
      expect(files.map((f) => f.file)).toContain(file);
    }
  });

  it('point at the README and the ADRs, never at an issue number or a file outside the repository', () => {
    expect(outsideReferences(files)).toEqual([]);
  });

  it('catches each kind, and lets a third party bug and ordinary words through', () => {
    // Built from pieces, so that this file does not hold what it looks for.
    const number = ['5', '#12'];
    const bad = [
      `// see issue ${number[0]!}, point 2`,
      ` * Expected rules (Issue ${number[1]!}):`,
      `The mapping follows point 3 of the ${'issue'}.`,
      `(see ${'..'}/shared/notes.txt)`,
      `const seed = '${'/work'}/main/.data';`,
      `the ${'CONVENTIONS'}.md rule`,
    ];
    expect(outsideReferences(bad.map((text, i) => ({ file: `x${i}.ts`, text })))).toHaveLength(bad.length);
    const fine = [
      'axe reports it as invalid ARIA (alphagov/govuk-frontend#979)',
      'node-saml treats an unsigned Redirect message as valid (node-saml#419)',
      'we always issue `whsec_` secrets; each connection issues cursors',
      "escapes ' as &#39;",
      'https://example.org/network/work/1',
      'the GOV.UK Design System',
    ];
    expect(outsideReferences(fine.map((text, i) => ({ file: `y${i}.ts`, text })))).toEqual([]);
  });
});
