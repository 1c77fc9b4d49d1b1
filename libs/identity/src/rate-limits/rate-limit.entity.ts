import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The counters of `rate-limiter-flexible`'s PostgreSQL store, shared by every API process. The library reads and
 * writes it with its own SQL; it is mapped here only so the migrations check compares its shape like any table.
 */
@Entity('rate_limit')
export class RateLimitEntity {
  /** The limit's prefix and the caller: `member:token:<id>`, `anonymous:<ip>`, ... */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  @Column({ type: 'integer', default: 0 })
  points!: number;

  /** When the window ends, in epoch milliseconds; rows an hour past it are deleted. */
  @Index('rate_limit_expire_idx')
  @Column({ type: 'bigint', nullable: true })
  expire!: string | null;
}
