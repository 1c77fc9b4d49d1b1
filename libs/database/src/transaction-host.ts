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

  /** Runs `work` in a transaction, or inside the one already open. */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = storage.getStore();
    if (open) return work(open);
    return this.dataSource.transaction((manager) => storage.run(manager, () => work(manager)));
  }
}
