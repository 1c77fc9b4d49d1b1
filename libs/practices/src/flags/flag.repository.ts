import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import type { Actor } from '#identity';
import { IsNull } from 'typeorm';
import { moderationScope } from '../access/practice-access.js';
import { FlagEntity, FlagStatus } from './flag.entity.js';

@Injectable()
export class FlagRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(FlagEntity);
  }

  /** Flags on the practices the actor moderates (the flag rule, {@link moderationScope}); none for anyone else. */
  private workable(actor: Actor) {
    const moderated = moderationScope(actor);
    const qb = this.repo.createQueryBuilder('f').innerJoin('practice', 'p', 'p.id = f.practice_id');
    return moderated ? qb.where(moderated.sql, moderated.params) : qb.where('FALSE');
  }

  findWorkableByIds(actor: Actor, ids: readonly string[]): Promise<FlagEntity[]> {
    return ids.length
      ? this.workable(actor)
          .andWhere('f.id IN (:...ids)', { ids: [...ids] })
          .getMany()
      : Promise.resolve([]);
  }

  /** Oldest first, `first + 1` rows after the key. */
  listWorkable(actor: Actor, status: FlagStatus | undefined, first: number, after?: { createdAt: string; id: string }): Promise<FlagEntity[]> {
    const qb = this.workable(actor);
    if (status) qb.andWhere('f.status = :status', { status });
    if (after) qb.andWhere('(f.created_at, f.id) > (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))', { afterAt: after.createdAt, afterId: after.id });
    return qb
      .orderBy('f.created_at', 'ASC')
      .addOrderBy('f.id', 'ASC')
      .limit(first + 1)
      .getMany();
  }

  findOpenByReporter(reporterId: string, practiceId: string, commentId: string | null): Promise<FlagEntity | null> {
    return this.repo.findOneBy({ reporterId, practiceId, commentId: commentId ?? IsNull(), status: FlagStatus.OPEN });
  }

  async insert(values: Pick<FlagEntity, 'practiceId' | 'commentId' | 'reason' | 'note' | 'reporterId'>): Promise<FlagEntity> {
    const result = await this.repo.insert(values);
    return this.findById(result.identifiers[0]!.id as string);
  }

  findById(id: string): Promise<FlagEntity> {
    return this.repo.findOneByOrFail({ id });
  }

  /**
   * Marks UNHIDDEN the flags a hide closed, now that the content is back: for a comment, its HIDDEN flags; for a
   * practice, its own and those on its comments that went with it (comments hidden on their own stay hidden, and so
   * do their flags). Returns how many.
   */
  async markUnhidden(subject: { practiceId: string; commentId: string | null }, by: string, at: Date): Promise<number> {
    const qb = this.repo
      .createQueryBuilder()
      .update(FlagEntity)
      .set({ status: FlagStatus.UNHIDDEN, unhiddenById: by, unhiddenAt: at })
      .where('practice_id = :practiceId AND status = :hidden', { practiceId: subject.practiceId, hidden: FlagStatus.HIDDEN });
    if (subject.commentId) qb.andWhere('comment_id = :commentId', { commentId: subject.commentId });
    else qb.andWhere('(comment_id IS NULL OR comment_id IN (SELECT fc.id FROM "comment" fc WHERE fc.practice_id = :practiceId AND fc.hidden_at IS NULL))');
    const result = await qb.execute();
    return result.affected ?? 0;
  }

  /**
   * Resolves this flag and every other open flag on the same content with it; hiding a practice also closes the
   * flags on its comments, which went with it.
   */
  async resolveSameSubject(flag: FlagEntity, status: FlagStatus, by: string, at: Date): Promise<void> {
    const qb = this.repo
      .createQueryBuilder()
      .update(FlagEntity)
      .set({ status, resolvedById: by, resolvedAt: at })
      .where('practice_id = :practiceId AND status = :open', { practiceId: flag.practiceId, open: FlagStatus.OPEN });
    if (flag.commentId) qb.andWhere('comment_id = :commentId', { commentId: flag.commentId });
    else if (status !== FlagStatus.HIDDEN) qb.andWhere('comment_id IS NULL');
    await qb.execute();
    await this.repo.update({ id: flag.id }, { status, resolvedById: by, resolvedAt: at });
  }
}
