import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the first folder above this file that holds `apps/web/views`. Views, catalogues and static
 * files are not compiled by tsc, so they are read from the sources both when this file runs from `dist/` (npm start)
 * and from the TypeScript sources (jest).
 */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'apps', 'web', 'views'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`apps/web/views not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

const root = findRoot();
const govukPackage = path.dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json'));

/** Where the web pages' files live. */
export const WEB_PATHS = {
  views: path.join(root, 'apps', 'web', 'views'),
  locales: path.join(root, 'apps', 'web', 'locales'),
  /** Our own static files (stylesheet, the script that starts GOV.UK Frontend). */
  public: path.join(root, 'apps', 'web', 'public'),
  /** `govuk/template.njk` and the component macros resolve from here. */
  govukDist: path.join(govukPackage, 'dist'),
  /** Precompiled `govuk-frontend.min.css` and `.min.js`. */
  govukBundle: path.join(govukPackage, 'dist', 'govuk'),
  /** Fonts, images and the manifest the precompiled CSS and the template refer to under /assets. */
  govukAssets: path.join(govukPackage, 'dist', 'govuk', 'assets'),
} as const;
