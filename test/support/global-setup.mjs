// Runs outside jest's module system, so it uses the compiled code that `npm test` builds first.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../../dist/libs/database/src/embedded/embedded-postgres.js';
import { createDatabase } from '../../dist/libs/database/src/provisioning.js';

/**
 * One PostgreSQL for the run: the server of DATABASE_URL when set, an embedded one otherwise. Every migration is
 * applied once to a template database; each test file then copies it into a fresh database of its own.
 */
export default async function globalSetup() {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    globalThis.peTestEmbedded = await startEmbeddedPostgres({ dataDir: path.join(os.tmpdir(), `pe-test-${runId}`, 'postgres'), persistent: false });
    serverUrl = globalThis.peTestEmbedded.url;
  }
  const template = `pe_test_${runId}_template`;
  const url = await createDatabase(serverUrl, template);
  execFileSync(process.execPath, [fileURLToPath(new URL('./migrate-template.mjs', import.meta.url)), url], { stdio: ['ignore', 'ignore', 'inherit'] });
  process.env.PE_TEST_SERVER_URL = serverUrl;
  process.env.PE_TEST_TEMPLATE = template;
  process.env.PE_TEST_RUN = runId;
}
