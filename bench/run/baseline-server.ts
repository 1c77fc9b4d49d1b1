// The baseline of `npm run bench`: the fastest plain way to answer the same requests. A `node:http` server with a
// `pg.Pool` as large as the API's that, for each scenario's path, runs the very SQL statements the API sent for that
// request (captured, with their parameters, in their order) and answers the rows as JSON. No framework, no GraphQL,
// no mapping: what is left of the API's time above this is the price of everything else.
//
// node dist/bench/run/baseline-server.js <routes.json>   (prints "listening <port>" once ready)
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { closesTransaction, decodeParams, opensTransaction, type Statement } from './statements.js';

export interface BaselineRoutes {
  databaseUrl: string;
  poolSize: number;
  /** The API's connection `options` (session settings), so both run the statements alike. */
  sessionOptions?: string;
  /** Path (`/feed-anonymous`) → the statements of one API request. */
  routes: Record<string, Statement[]>;
}

async function answer(pool: pg.Pool, statements: readonly Statement[]): Promise<unknown[][]> {
  const results: unknown[][] = [];
  let client: pg.PoolClient | undefined;
  try {
    for (const statement of statements) {
      if (opensTransaction(statement.text) && !client) client = await pool.connect();
      const result = await (client ?? pool).query(statement.text, statement.params as unknown[]);
      results.push(result.rows);
      if (closesTransaction(statement.text) && client) {
        client.release();
        client = undefined;
      }
    }
  } catch (error) {
    if (client) await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client?.release();
  }
  return results;
}

function main(): void {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as BaselineRoutes;
  const routes = new Map(
    Object.entries(config.routes).map(([route, statements]) => [route, statements.map((s) => ({ text: s.text, params: decodeParams(s.params) }))]),
  );
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolSize, options: config.sessionOptions });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // Read like the API reads it, so both pay for the body.
      if (chunks.length) JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const statements = routes.get((req.url ?? '').split('?')[0]!);
      if (!statements) {
        res.writeHead(404).end();
        return;
      }
      answer(pool, statements).then(
        (rows) => {
          const body = JSON.stringify({ data: rows });
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
        },
        (error: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message);
        },
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
  const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
