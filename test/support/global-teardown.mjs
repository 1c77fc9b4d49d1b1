import pg from 'pg';
import { dropDatabase, withDatabaseName } from '../../dist/libs/database/src/provisioning.js';

/** Drops this run's databases (on a shared server) and stops the embedded server. */
export default async function globalTeardown() {
  const serverUrl = process.env.PE_TEST_SERVER_URL;
  const runId = process.env.PE_TEST_RUN;
  if (serverUrl && runId) {
    const client = new pg.Client({ connectionString: withDatabaseName(serverUrl, 'postgres') });
    await client.connect();
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`pe_test_${runId}_%`]);
    await client.end();
    for (const row of rows) await dropDatabase(serverUrl, row.datname);
  }
  await globalThis.peTestEmbedded?.stop();
}
