import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import type { Actor } from '#identity';
import { PracticeAccess, PracticeAccessService } from '../access/practice-access.js';
import { PracticeError, PracticeErrorCode } from '../practices.errors.js';
import type { CommentEntity } from './comment.entity.js';
import { CommentRepository } from './comment.repository.js';

@Injectable()
export class CommentService {
  constructor(
    private readonly comments: CommentRepository,
    private readonly access: PracticeAccessService,
    private readonly tx: TransactionHost,
  ) {}

  /** Comments on a published practice the actor can read; a reply goes to a top-level comment of the same practice. */
  async add(actor: Actor, practiceId: string, body: string, parentId: string | null): Promise<CommentEntity> {
    return this.tx.run(async () => {
      await this.access.requireAccess(actor, PracticeAccess.PRACTICE_ENGAGE, [practiceId]);
      if (parentId) {
        await this.access.requireAccess(actor, PracticeAccess.COMMENT_ENGAGE, [parentId]);
        const parent = await this.comments.findById(parentId);
        if (parent.practiceId !== practiceId) {
          throw new PracticeError(PracticeErrorCode.INVALID_INPUT, 'parentId: that comment belongs to another practice', 'parentId');
        }
        if (parent.parentId) {
          throw new PracticeError(PracticeErrorCode.INVALID_INPUT, 'parentId: replies go one level deep; reply to the top-level comment instead', 'parentId');
        }
      }
      return this.comments.insert({ practiceId, parentId, authorId: actor.memberId!, body });
    });
  }

  async edit(actor: Actor, id: string, body: string, now = new Date()): Promise<CommentEntity> {
    return this.tx.run(async () => {
      await this.access.requireAccess(actor, PracticeAccess.COMMENT_EDIT, [id]);
      await this.comments.edit(id, body, now);
      return this.comments.findById(id);
    });
  }

  /** Soft delete: the body is gone from every read, replies stay. */
  async delete(actor: Actor, id: string, now = new Date()): Promise<CommentEntity> {
    return this.tx.run(async () => {
      await this.access.requireAccess(actor, PracticeAccess.COMMENT_EDIT, [id]);
      await this.comments.softDelete(id, now);
      return this.comments.findById(id);
    });
  }
}
