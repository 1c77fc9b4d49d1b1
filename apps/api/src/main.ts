import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, createLogger, keepDemoSecret, loadConfig, logRoutineAtDebug } from '#config';
import { openDatabase } from '#database';
import { ENTITIES, MIGRATIONS } from '../../../migrations/schema.js';
import { startWorker } from '../../worker/src/bootstrap/start-worker.js';
import { createApi } from './bootstrap/create-api.js';
import { drainHttpServer } from './bootstrap/graceful-shutdown.js';
import { DEMO_IDP_ENTITY_ID } from './demo/demo-idp.controller.js';
import { DemoIdpKeys } from './demo/demo-idp.keys.js';
import { demoIdpMetadata } from './demo/demo-idp.saml.js';
import { demoToken, ensureDemoSignIn, seedDemoData } from './demo/demo-seeder.js';

/**
 * `npm start`: configuration (demo mode keeps its generated secret on the first start), database (embedded in demo
 * mode), migrations, demo data, then the API and the worker in one process; `--no-worker` (`npm run start:api`)
 * leaves the worker to its own processes.
 */
async function main(): Promise<void> {
  const config = keepDemoSecret(loadConfig());
  const logger = createLogger(config.logLevel);
  Logger.overrideLogger(logger);
  const database = await openDatabase(config, { entities: ENTITIES, migrations: MIGRATIONS }, { migrate: config.migrateOnStart });
  // In production a one-shot `db:migrate` applies migrations before new code starts; replicas only say what is missing.
  if (database.pending.length)
    logger.warn({ msg: 'Migrations are pending; MIGRATE_ON_START is false, so run db:migrate', pending: database.pending.length }, 'Bootstrap');
  const app = await createApi(config, database.dataSource, logger);
  let token: string | undefined;
  if (config.demoMode) {
    // Routine: the banner says the platform is up; the seed's state changes are there at LOG_LEVEL=debug.
    token = await logRoutineAtDebug(async () => {
      await seedDemoData(app);
      await ensureDemoSignIn(app, demoIdpMetadata(DEMO_IDP_ENTITY_ID, `${config.publicUrl}/demo-idp/sso`, app.get(DemoIdpKeys)));
      return demoToken(app, config.dataDir);
    });
  }
  const worker = process.argv.includes('--no-worker') ? undefined : await startWorker(config, database.dataSource, logger);
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal (Ctrl-C twice): stop now, whatever is in flight.
      logger.warn({ msg: 'Stopping at once', signal }, 'Shutdown');
      process.exit(1);
    }
    stopping = true;
    const grace = config.shutdownGraceSeconds;
    logger.log({ msg: 'Stopping: finishing requests in flight and running jobs', signal, graceSeconds: grace }, 'Shutdown');
    // Should closing the database hang, the process still ends.
    setTimeout(() => process.exit(1), (grace + 10) * 1000).unref();
    try {
      const [http] = await Promise.all([drainHttpServer(app.getHttpServer(), grace), worker?.stop()]);
      if (http === 'forced') logger.warn({ msg: 'Requests still running after the grace period were cut off', graceSeconds: grace }, 'Shutdown');
      await app.close();
      await database.close();
      process.exit(http === 'drained' ? 0 : 1);
    } catch (error) {
      logger.error({ msg: 'Did not stop cleanly', error: error instanceof Error ? error.message : String(error) }, 'Shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // config.host: loopback in demo mode unless HOST is set; unset means every interface.
  if (config.host) await app.listen(config.port, config.host);
  else await app.listen(config.port);
  const base = config.publicUrl.replace(/\/$/, '');
  const lines = [
    '',
    `Practice Exchange is running${config.demoMode ? ' in demo mode' : ''}${config.host ? `, listening on ${config.host} only` : ''}.`,
    `  GraphQL:  ${base}/graphql`,
    `  Health:   ${base}/health`,
    `  Sign in:  ${base}/${config.demoMode ? ' (demo identity provider: pick any demo user)' : ''}`,
  ];
  if (database.embedded) {
    lines.push(
      `  Database: embedded PostgreSQL, data in ${database.embedded.dataDir}${database.embedded.relocatedBecause ? ` (${database.embedded.relocatedBecause})` : ''}`,
    );
  }
  if (token) {
    lines.push(`  Demo contributor token (Kent County Council): ${token}`);
    lines.push(
      `  Try: curl -s ${base}/graphql -H 'content-type: application/json' -H 'authorization: Bearer ${token}' --data '{"query":"{ me { name organisation { name } } }"}'`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Practice Exchange could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
