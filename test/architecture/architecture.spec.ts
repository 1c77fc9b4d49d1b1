import path from 'node:path';
import { LIB_ORDER, sourceFiles, unitCycles, violations } from './import-rules.js';

describe('module boundaries', () => {
  const files = sourceFiles(process.cwd(), ['apps', 'libs']);

  it('reads the whole tree', () => {
    expect(files.length).toBeGreaterThan(50);
    for (const lib of LIB_ORDER) expect(files.some((f) => f.file.startsWith(`libs/${lib}/`))).toBe(true);
  });

  it('has no import against the layering (digests → practices → identity → database → config; apps → libs)', () => {
    expect(violations(files)).toEqual([]);
  });

  it('has no cycle between libraries or apps', () => {
    expect(unitCycles(files)).toEqual([]);
  });

  it('names the operator only in the CLI and the demo seeder, never where a request is served', () => {
    // The rules let the operator do what a platform admin may; a request must only ever carry an Actor.
    const allowed = [
      'apps/cli/src/run-cli.ts',
      'apps/api/src/demo/demo-seeder.ts',
      'libs/identity/src/index.ts',
      'libs/identity/src/access/identity-access.ts',
    ];
    const naming = files.filter((f) => /\bOPERATOR\b|\bOperator\.instance\b/.test(f.text)).map((f) => f.file.split(path.sep).join('/'));
    expect(naming.filter((file) => !allowed.includes(file))).toEqual([]);
    expect(naming).toContain('apps/cli/src/run-cli.ts');
  });

  it('catches a library importing one above it, and a cycle', () => {
    const bad = [
      { file: 'libs/identity/src/x.ts', text: "import { PracticeEntity } from '#practices';" },
      { file: 'libs/practices/src/y.ts', text: "import { Actor } from '#identity';" },
      { file: 'libs/database/src/z.ts', text: "import { thing } from '../../identity/src/thing.js';" },
      { file: 'apps/api/src/w.ts', text: "import { x } from '../../../libs/practices/src/practices/practice.service.js';" },
    ];
    const found = violations(bad);
    expect(found).toEqual([
      expect.stringContaining('libs/identity may not import libs/practices'),
      expect.stringContaining('relative import "../../identity/src/thing.js" leaves libs/database'),
      expect.stringContaining('reaches into libs/practices by path'),
    ]);
    expect(unitCycles(bad)).toContainEqual(['libs/identity', 'libs/practices', 'libs/identity']);
  });

  it('lets the API mount the web pages through their index only, and the web pages import libraries only', () => {
    const files = [
      { file: 'apps/api/src/app.module.ts', text: "import { WebModule } from '../../web/src/index.js';" },
      { file: 'apps/api/src/graphql/x.ts', text: "import { WebErrorPages } from '../../../web/src/index.js';" },
      { file: 'apps/api/src/app.module.ts', text: "import { StartController } from '../../web/src/start/start.controller.js';" },
      { file: 'apps/web/src/y.ts', text: "import { createApi } from '../../api/src/bootstrap/create-api.js';" },
    ];
    expect(violations(files)).toEqual([
      expect.stringContaining('apps/api/src/graphql/x.ts: an app imports another app (apps/web)'),
      expect.stringContaining('apps/api/src/app.module.ts: an app imports another app (apps/web)'),
      expect.stringContaining('apps/web/src/y.ts: an app imports another app (apps/api)'),
    ]);
  });
});
