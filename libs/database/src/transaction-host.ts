import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

const storage = new AsyncLocalStorage<EntityManager>();

/**
 * Carries the transaction in force through async calls, so a service opens one and every repository call inside
 * it joins, without passing a manager through each signature.
 */
@Injectable()
export class TransactionHost {
  constructor(private readonly dataSource: DataSource) {}

  /** The manager of the transaction in force, or the pool's. */
  get manager(): EntityManager {
    return storage.getStore() ?? this.dataSource.manager;
  }

  /**
   * Runs a read that tolerates a second of lag on the read replica (DATABASE_READ_URL), through a query runner of its
   * own; on the primary when no replica is configured, and inside the transaction in force when there is one (it may
   * have written what it reads). Only named list, search and feed reads use this: everything else stays on the primary
   * (the replication default is 'master'), so no read-after-write can meet a lagging replica.
   */
  async onReplica<T>(read: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = storage.getStore();
    if (open) return read(open);
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      return await read(runner.manager);
    } finally {
      await runner.release();
    }
  }

  /** Runs `work` in a transaction, or inside the one already open. */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = storage.getStore();
    if (open) return work(open);
    return this.dataSource.transaction((manager) => storage.run(manager, () => work(manager)));
  }
}
