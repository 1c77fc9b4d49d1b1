import { schemaDrift } from '#database';
import type { DataSource } from 'typeorm';
import { freshDataSource } from '../support/database.js';

describe('migrations', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = await freshDataSource();
  });
  afterAll(() => dataSource.destroy());

  it('leave nothing for the entities to change: entities and migrations agree', async () => {
    const drift = await schemaDrift(dataSource);
    expect(drift.up).toEqual([]);
  });

  it('are not applied by synchronize, which stays off', () => {
    expect(dataSource.options.synchronize).toBe(false);
  });

  it('revert cleanly and apply again', async () => {
    const count = dataSource.migrations.length;
    for (let i = 0; i < count; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
    const [{ n }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    expect(n).toBe(0);
    await dataSource.runMigrations({ transaction: 'each' });
    expect((await schemaDrift(dataSource)).up).toEqual([]);
    const [{ tags }] = await dataSource.query('SELECT count(*)::int AS tags FROM tag WHERE curated');
    expect(tags).toBeGreaterThanOrEqual(15);
  });
});
