import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '#database';
import { Actor, AuditAction, AuditService, parseGlobalId } from '#identity';
import { PracticeAccess, PracticeAccessService } from '../access/practice-access.js';
import { CommentRepository } from '../comments/comment.repository.js';
import { PracticeRepository } from '../practices/practice.repository.js';
import { PracticeError, PracticeErrorCode } from '../practices.errors.js';
import { FlagReason, FlagStatus, type FlagEntity } from './flag.entity.js';
import { FlagRepository } from './flag.repository.js';

export enum FlagAction {
  /** Hide the content from every read path. */
  HIDE = 'HIDE',
  /** Keep the content; close the flag. */
  DISMISS = 'DISMISS',
}

@Injectable()
export class FlagService {
  private readonly logger = new Logger(FlagService.name);

  constructor(
    private readonly flags: FlagRepository,
    private readonly comments: CommentRepository,
    private readonly practices: PracticeRepository,
    private readonly access: PracticeAccessService,
    private readonly audit: AuditService,
    private readonly tx: TransactionHost,
  ) {}

  /** Reports a practice or comment the actor can read; the same reporter's open flag on it is returned, not doubled. */
  async flag(actor: Actor, subjectGlobalId: string, reason: FlagReason, note: string): Promise<FlagEntity> {
    const subject = parseGlobalId(subjectGlobalId);
    if (!subject || !['Practice', 'Comment'].includes(subject.type)) {
      throw new PracticeError(PracticeErrorCode.INVALID_INPUT, 'subjectId: must be the ID of a Practice or a Comment', 'subjectId');
    }
    return this.tx.run(async () => {
      let practiceId: string;
      let commentId: string | null = null;
      if (subject.type === 'Practice') {
        await this.access.requireAccess(actor, PracticeAccess.PRACTICE_ENGAGE, [subject.id]);
        practiceId = subject.id;
      } else {
        await this.access.requireAccess(actor, PracticeAccess.COMMENT_ENGAGE, [subject.id]);
        commentId = subject.id;
        practiceId = (await this.comments.findById(subject.id)).practiceId;
      }
      const existing = await this.flags.findOpenByReporter(actor.memberId!, practiceId, commentId);
      if (existing) return existing;
      const flag = await this.flags.insert({ practiceId, commentId, reason, note, reporterId: actor.memberId! });
      const practice = await this.practices.findById(practiceId);
      await this.audit.record({
        action: AuditAction.CONTENT_FLAGGED,
        actorMemberId: actor.memberId,
        organisationId: practice.organisationId,
        subjectType: 'Flag',
        subjectId: flag.id,
        details: { reason, on: subject.type },
      });
      return flag;
    });
  }

  /**
   * Brings back a hidden practice or comment: the same people who may hide it (moderators on content they could
   * read were it not hidden, the content organisation's admins) may. The flags the hide closed become UNHIDDEN.
   * @throws PracticeError INVALID_INPUT for an ID of another type, NOT_FOUND out of the actor's reach,
   *   INVALID_STATE when the content is not hidden.
   */
  async unhide(actor: Actor, subjectGlobalId: string, now = new Date()): Promise<{ type: 'Practice' | 'Comment'; id: string }> {
    const subject = parseGlobalId(subjectGlobalId);
    if (!subject || (subject.type !== 'Practice' && subject.type !== 'Comment')) {
      throw new PracticeError(PracticeErrorCode.INVALID_INPUT, 'subjectId: must be the ID of a Practice or a Comment', 'subjectId');
    }
    const type = subject.type;
    return this.tx.run(async () => {
      let practiceId: string;
      let commentId: string | null = null;
      if (type === 'Practice') {
        await this.access.requireAccess(actor, PracticeAccess.PRACTICE_MODERATE, [subject.id]);
        practiceId = subject.id;
        if (!(await this.practices.unhide(subject.id))) throw new PracticeError(PracticeErrorCode.INVALID_STATE, 'This practice is not hidden.');
      } else {
        await this.access.requireAccess(actor, PracticeAccess.COMMENT_MODERATE, [subject.id]);
        commentId = subject.id;
        practiceId = (await this.comments.findById(subject.id)).practiceId;
        if (!(await this.comments.unhide(subject.id))) throw new PracticeError(PracticeErrorCode.INVALID_STATE, 'This comment is not hidden.');
      }
      const flags = await this.flags.markUnhidden({ practiceId, commentId }, actor.memberId!, now);
      const practice = await this.practices.findById(practiceId);
      await this.audit.record({
        action: AuditAction.CONTENT_UNHIDDEN,
        actorMemberId: actor.memberId,
        organisationId: practice.organisationId,
        subjectType: type,
        subjectId: subject.id,
        details: { flags },
      });
      this.logger.log({ msg: 'content unhidden', subjectType: type, subjectId: subject.id, flags });
      return { type, id: subject.id };
    });
  }

  /** HIDE hides the content from every read; both close every open flag on that content. */
  async resolve(actor: Actor, flagId: string, action: FlagAction, now = new Date()): Promise<FlagEntity> {
    return this.tx.run(async () => {
      await this.access.requireAccess(actor, PracticeAccess.FLAG_RESOLVE, [flagId]);
      const flag = await this.flags.findById(flagId);
      if (flag.status !== FlagStatus.OPEN) {
        throw new PracticeError(PracticeErrorCode.INVALID_STATE, `This flag was already resolved (${flag.status}).`);
      }
      const status = action === FlagAction.HIDE ? FlagStatus.HIDDEN : FlagStatus.DISMISSED;
      if (action === FlagAction.HIDE) {
        if (flag.commentId) await this.comments.hide(flag.commentId, now);
        else await this.practices.hide(flag.practiceId, now);
      }
      await this.flags.resolveSameSubject(flag, status, actor.memberId!, now);
      const practice = await this.practices.findById(flag.practiceId);
      await this.audit.record({
        action: AuditAction.FLAG_RESOLVED,
        actorMemberId: actor.memberId,
        organisationId: practice.organisationId,
        subjectType: flag.commentId ? 'Comment' : 'Practice',
        subjectId: flag.commentId ?? flag.practiceId,
        details: { flagId: flag.id, action },
      });
      this.logger.log({ msg: 'flag resolved', flagId: flag.id, action });
      return this.flags.findById(flagId);
    });
  }
}
