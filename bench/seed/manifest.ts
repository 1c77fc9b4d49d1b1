import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What `npm run bench:seed` leaves for `npm run bench`: where the data is and the handles its scenarios need. Written
 * as JSON under the data folder (never committed: it holds API tokens of the generated members).
 */
export interface SeedManifest {
  /** Bumped when the generator changes what it makes; `npm run bench` refuses an older manifest. */
  version: number;
  /** The generator's seed and sizes, so a run names the data it measured. */
  seed: number;
  sizes: SeedSizes;
  /** The database: a server's URL (DATABASE_URL at seeding time), or the embedded server's data folder and database. */
  database: { url: string } | { embeddedDataDir: string; databaseName: string };
  /** Plain API tokens (`pxt_…`) of generated members, with the scopes that the scenarios need. */
  tokens: {
    /** A contributor of a UK council, scopes read and write: the feed "with a token", search, detail, create-then-publish. */
    contributor: string;
    /** A contributor of an overseas authority, scopes read and write: what a member outside the UK sees. */
    overseas: string;
  };
  /** Global ids (as the API shows them) of practices the scenarios read. */
  practices: {
    /** Published, visible to the contributor token, with exactly 50 comments (replies included). */
    withFiftyComments: string;
    /** Published TLP_CLEAR: `node(id:)` and the anonymous reads. */
    clear: string;
  };
  /** Full-text search terms that match many practices (a common word) and few (a rare one). */
  search: { common: string; rare: string };
  /** How long seeding took, and when it finished (ISO 8601). */
  seededInSeconds: number;
  seededAt: string;
}

export interface SeedSizes {
  organisations: number;
  members: number;
  practices: number;
  comments: number;
  adoptions: number;
  subscriptions: number;
}

export const MANIFEST_VERSION = 2;

/** The manifest's place: under DATA_DIR (`.data` unless set), beside the embedded server's folder. */
export function manifestPath(dataDir = process.env.DATA_DIR || '.data'): string {
  return path.resolve(dataDir, 'bench', 'seed-manifest.json');
}

export function writeManifest(manifest: SeedManifest, file = manifestPath()): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

/** @throws Error with the command to run when there is no manifest or it is from another version of the generator. */
export function readManifest(file = manifestPath()): SeedManifest {
  if (!existsSync(file)) throw new Error(`No benchmark data at ${file}: run \`npm run bench:seed\` first.`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as SeedManifest;
  if (manifest.version !== MANIFEST_VERSION)
    throw new Error(`The benchmark data at ${file} was made by another version of the generator: run \`npm run bench:seed\` again.`);
  return manifest;
}
