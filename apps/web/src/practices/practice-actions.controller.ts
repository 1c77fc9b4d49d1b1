import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { Permission, Public, RequirePermission, requireGlobalId, toGlobalId } from '#identity';
import {
  AddCommentInput,
  AdoptionService,
  CommentService,
  DeleteCommentInput,
  EditCommentInput,
  FlagContentInput,
  FlagService,
  PracticeAccess,
  PracticeAccessService,
  PracticeError,
  PracticeErrorCode,
  PracticeLoaders,
  RecordAdoptionInput,
  RevisionRepository,
  type CommentEntity,
  type PracticeEntity,
} from '#practices';
import type { Request, Response } from 'express';
import { WebInputError } from '../errors/web-errors.js';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { formErrors, single, type FieldError } from '../forms/form-errors.js';
import { actorOf, loaderContext, pageContext } from '../page-context.js';
import { renderMarkdown } from '../rendering/markdown.js';
import { WebViews } from '../rendering/web-views.js';
import { asInput, fieldErrors, textOf } from './form-rules.js';
import { ADOPTION_RULES, COMMENT_RULES, FLAG_REASONS, FLAG_RULES, commentAnchor } from './practice-actions.forms.js';
import { PAGE_LIMITS, PracticeViews } from './practice-views.js';
import { revisionChanges } from './revision-diff.js';

/** How many revisions the revisions page lists (any two can still be compared by number). */
const REVISIONS_LISTED = 100;

/**
 * What a reader does with a practice besides reading it: its revision history and a comparison of two revisions,
 * replies, editing and deleting their own comments, recording an adoption, flagging. Each form is its own page
 * (GET shows it, POST saves and goes back to the practice); the libraries' services decide every write, with the
 * API's input classes, and refuse what the person may not do with the "not found" page.
 */
@Controller('practices/:id')
@UseFilters(WebExceptionFilter)
export class PracticeActionsController {
  constructor(
    private readonly views: WebViews,
    private readonly loaders: PracticeLoaders,
    private readonly practiceViews: PracticeViews,
    private readonly revisions: RevisionRepository,
    private readonly access: PracticeAccessService,
    private readonly comments: CommentService,
    private readonly adoptions: AdoptionService,
    private readonly flags: FlagService,
  ) {}

  /** Every revision the visitor may read, and the changes between two of them (`?from=2&to=5`). */
  @Public()
  @Get('revisions')
  async revisionsPage(
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
    @Query('from') fromRaw?: unknown,
    @Query('to') toRaw?: unknown,
  ): Promise<void> {
    const { t, formats } = pageContext(res);
    const practice = await this.practice(req, id);
    const history = await this.practiceViews.revisionHistory(loaderContext(req), practice.id, REVISIONS_LISTED, formats);
    const values = { from: single(fromRaw), to: single(toRaw) };
    const errors: FieldError[] = [];
    let comparison = null;
    if (values.from || values.to) {
      const from = revisionNumber(values.from);
      const to = revisionNumber(values.to);
      if (from === null) errors.push({ field: 'from', text: t('practiceActions.errors.revisionChoose') });
      if (to === null) errors.push({ field: 'to', text: t('practiceActions.errors.revisionChoose') });
      if (from !== null && to !== null && from === to) errors.push({ field: 'to', text: t('practiceActions.errors.revisionSame') });
      if (!errors.length) {
        // The same revision read rule as the list: a revision the visitor may not read is as if it did not exist.
        const found = await this.revisions.findVisibleByNumbers(actorOf(req).viewer, practice.id, [from!, to!]);
        const older = found.find((r) => r.revision === from);
        const newer = found.find((r) => r.revision === to);
        if (!older) errors.push({ field: 'from', text: t('practiceActions.errors.revisionUnknown', { revision: from! }) });
        if (!newer) errors.push({ field: 'to', text: t('practiceActions.errors.revisionUnknown', { revision: to! }) });
        if (older && newer) comparison = { from: older.revision, to: newer.revision, changes: revisionChanges(older, newer, t) };
      }
    }
    const rows = history.rows;
    // The two newest revisions are compared unless the visitor chose others.
    const selected = { from: values.from || String(rows[1]?.revision ?? ''), to: values.to || String(rows[0]?.revision ?? '') };
    this.views.render(
      res,
      'pages/practices/revisions.njk',
      {
        practice: this.header(practice),
        rows: rows.map((row, i) => ({ ...row, previous: rows[i + 1]?.revision ?? null })),
        more: history.more,
        options: rows.map((row) => ({
          value: String(row.revision),
          text: t('practiceActions.revisions.option', { revision: row.revision, date: row.written }),
        })),
        selected,
        comparison,
        errors: formErrors(errors),
      },
      errors.length ? 400 : 200,
    );
  }

  @RequirePermission(Permission.COMMENT_WRITE)
  @Get('comments/:commentId/reply')
  async replyForm(@Param('id') id: string, @Param('commentId') commentId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { practice, comment } = await this.repliable(req, id, commentId);
    this.renderCommentPage(res, 'reply', practice, comment, { body: '' }, []);
  }

  @RequirePermission(Permission.COMMENT_WRITE)
  @Post('comments/:commentId/reply')
  async reply(@Param('id') id: string, @Param('commentId') commentId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { practice, comment } = await this.repliable(req, id, commentId);
    const body = textOf((req.body as Record<string, unknown>).body);
    const { input, errors } = await asInput(AddCommentInput, { practiceId: id, parentId: commentId, body });
    const problems = fieldErrors(errors, COMMENT_RULES, pageContext(res).t);
    if (problems.length) return this.renderCommentPage(res, 'reply', practice, comment, { body }, problems, 400);
    const reply = await this.comments.add(actorOf(req), practice.id, input.body, comment.id);
    res.redirect(303, `/practices/${id}?done=replied#${commentAnchor(toGlobalId('Comment', reply.id))}`);
  }

  @RequirePermission(Permission.COMMENT_WRITE)
  @Get('comments/:commentId/edit')
  async editForm(@Param('id') id: string, @Param('commentId') commentId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { practice, comment } = await this.ownComment(req, id, commentId);
    this.renderCommentPage(res, 'edit', practice, comment, { body: comment.body }, []);
  }

  @RequirePermission(Permission.COMMENT_WRITE)
  @Post('comments/:commentId/edit')
  async edit(@Param('id') id: string, @Param('commentId') commentId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { practice, comment } = await this.ownComment(req, id, commentId);
    const body = textOf((req.body as Record<string, unknown>).body);
    const { input, errors } = await asInput(EditCommentInput, { id: commentId, body });
    const problems = fieldErrors(errors, COMMENT_RULES, pageContext(res).t);
    if (problems.length) return this.renderCommentPage(res, 'edit', practice, comment, { body }, problems, 400);
    await this.comments.edit(actorOf(req), comment.id, input.body);
    res.redirect(303, `/practices/${id}?done=comment-edited#${commentAnchor(commentId)}`);
  }

  @RequirePermission(Permission.COMMENT_WRITE)
  @Get('comments/:commentId/delete')
  async deleteConfirm(@Param('id') id: string, @Param('commentId') commentId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { practice, comment } = await this.ownComment(req, id, commentId);
    this.renderCommentPage(res, 'delete', practice, comment, { body: '' }, []);
  }

  @RequirePermission(Permission.COMMENT_WRITE)
  @Post('comments/:commentId/delete')
  async delete(@Param('id') id: string, @Param('commentId') commentId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { comment } = await this.ownComment(req, id, commentId);
    const { errors } = await asInput(DeleteCommentInput, { id: commentId });
    if (errors.length) throw new WebInputError('The comment id is not one');
    await this.comments.delete(actorOf(req), comment.id);
    res.redirect(303, `/practices/${id}?done=comment-deleted#${commentAnchor(commentId)}`);
  }

  @RequirePermission(Permission.FLAG_CREATE)
  @Get('flag')
  async flagPracticeForm(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const practice = await this.engageable(req, id);
    this.renderFlag(res, practice, null, { reason: '', note: '' }, []);
  }

  @RequirePermission(Permission.FLAG_CREATE)
  @Post('flag')
  async flagPractice(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const practice = await this.engageable(req, id);
    await this.flag(req, res, practice, null, id);
  }

  @RequirePermission(Permission.FLAG_CREATE)
  @Get('comments/:commentId/flag')
  async flagCommentForm(@Param('id') id: string, @Param('commentId') commentId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { practice, comment } = await this.engageableComment(req, id, commentId);
    this.renderFlag(res, practice, comment, { reason: '', note: '' }, []);
  }

  @RequirePermission(Permission.FLAG_CREATE)
  @Post('comments/:commentId/flag')
  async flagComment(@Param('id') id: string, @Param('commentId') commentId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { practice, comment } = await this.engageableComment(req, id, commentId);
    await this.flag(req, res, practice, comment, commentId);
  }

  @RequirePermission(Permission.ADOPTION_WRITE)
  @Get('adoption')
  async adoptionForm(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const practice = await this.engageable(req, id);
    // Recording again updates the organisation's adoption: the form starts from it.
    const actor = actorOf(req);
    const own = (await this.adoptions.listVisible(actor.viewer, practice.id, PAGE_LIMITS.adoptions)).find((a) => a.organisationId === actor.organisationId);
    this.renderAdoption(res, practice, { outcome: own?.outcome ?? '', note: own?.note ?? '' }, !!own, []);
  }

  @RequirePermission(Permission.ADOPTION_WRITE)
  @Post('adoption')
  async adopt(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const practice = await this.engageable(req, id);
    const body = req.body as Record<string, unknown>;
    const values = { outcome: single(body.outcome), note: textOf(body.note) };
    const { input, errors } = await asInput(RecordAdoptionInput, { practiceId: id, ...values });
    const problems = fieldErrors(errors, ADOPTION_RULES, pageContext(res).t);
    if (problems.length) return this.renderAdoption(res, practice, values, single(body.updating) === 'yes', problems, 400);
    await this.adoptions.record(actorOf(req), practice.id, input.note, input.outcome);
    res.redirect(303, `/practices/${id}?done=adopted#adoptions`);
  }

  private async flag(req: Request, res: Response, practice: PracticeEntity, comment: CommentEntity | null, subjectId: string): Promise<void> {
    const body = req.body as Record<string, unknown>;
    const values = { reason: single(body.reason), note: textOf(body.note) };
    const { input, errors } = await asInput(FlagContentInput, { subjectId, reason: values.reason || undefined, note: values.note });
    const problems = fieldErrors(errors, FLAG_RULES, pageContext(res).t);
    if (problems.length) return this.renderFlag(res, practice, comment, values, problems, 400);
    await this.flags.flag(actorOf(req), input.subjectId, input.reason, input.note ?? '');
    const id = toGlobalId('Practice', practice.id);
    res.redirect(303, `/practices/${id}?done=flagged${comment ? `#${commentAnchor(subjectId)}` : ''}`);
  }

  /** The practice, when the visitor may read it; otherwise "not found". */
  private async practice(req: Request, id: string): Promise<PracticeEntity> {
    const practice = await this.loaders.for(loaderContext(req)).practice.load(requireGlobalId(id, 'Practice'));
    if (!practice) throw new PracticeError(PracticeErrorCode.PRACTICE_NOT_FOUND, 'No practice you may read has this id');
    return practice;
  }

  /** The practice, when the person may comment on, adopt or flag it (a published practice they can read). */
  private async engageable(req: Request, id: string): Promise<PracticeEntity> {
    const practice = await this.practice(req, id);
    await this.access.requireAccess(actorOf(req), PracticeAccess.PRACTICE_ENGAGE, [practice.id]);
    return practice;
  }

  /** The practice and a comment of it the person may read, with `access` to the comment; otherwise "not found". */
  private async comment(req: Request, id: string, commentId: string, access: PracticeAccess): Promise<{ practice: PracticeEntity; comment: CommentEntity }> {
    const practice = await this.practice(req, id);
    const comment = await this.loaders.for(loaderContext(req)).comment.load(requireGlobalId(commentId, 'Comment'));
    if (!comment || comment.practiceId !== practice.id)
      throw new PracticeError(PracticeErrorCode.COMMENT_NOT_FOUND, 'No comment of this practice you may read has this id');
    await this.access.requireAccess(actorOf(req), access, [comment.id]);
    return { practice, comment };
  }

  /** A comment its author may still edit or delete: the service's rule for both. */
  private ownComment(req: Request, id: string, commentId: string) {
    return this.comment(req, id, commentId, PracticeAccess.COMMENT_EDIT);
  }

  /** A comment the person may flag or reply to (readable, not deleted, on a published practice). */
  private async engageableComment(req: Request, id: string, commentId: string) {
    const found = await this.comment(req, id, commentId, PracticeAccess.COMMENT_ENGAGE);
    await this.access.requireAccess(actorOf(req), PracticeAccess.PRACTICE_ENGAGE, [found.practice.id]);
    return found;
  }

  /** Replies go one level deep: only a top-level comment has a reply page. */
  private async repliable(req: Request, id: string, commentId: string) {
    const found = await this.engageableComment(req, id, commentId);
    if (found.comment.parentId) throw new PracticeError(PracticeErrorCode.COMMENT_NOT_FOUND, 'Replies go one level deep');
    return found;
  }

  /** What every action page shows of its practice: its title (in its language), never in `<title>`. */
  private header(practice: PracticeEntity) {
    return { id: toGlobalId('Practice', practice.id), title: practice.title, language: practice.language, visibility: practice.visibility };
  }

  private renderCommentPage(
    res: Response,
    kind: 'reply' | 'edit' | 'delete',
    practice: PracticeEntity,
    comment: CommentEntity,
    values: { body: string },
    errors: FieldError[],
    status = 200,
  ): void {
    const commentId = toGlobalId('Comment', comment.id);
    this.views.render(
      res,
      `pages/practices/comment-${kind}.njk`,
      {
        practice: this.header(practice),
        comment: {
          id: commentId,
          anchor: commentAnchor(commentId),
          bodyHtml: renderMarkdown(comment.body),
          written: pageContext(res).formats.date(comment.createdAt),
        },
        values,
        errors: formErrors(errors),
      },
      status,
    );
  }

  private renderFlag(
    res: Response,
    practice: PracticeEntity,
    comment: CommentEntity | null,
    values: { reason: string; note: string },
    errors: FieldError[],
    status = 200,
  ): void {
    const { t } = pageContext(res);
    const commentId = comment && toGlobalId('Comment', comment.id);
    this.views.render(
      res,
      'pages/practices/flag.njk',
      {
        practice: this.header(practice),
        comment: comment && { id: commentId, bodyHtml: renderMarkdown(comment.body) },
        action: comment
          ? `/practices/${toGlobalId('Practice', practice.id)}/comments/${commentId}/flag`
          : `/practices/${toGlobalId('Practice', practice.id)}/flag`,
        reasons: FLAG_REASONS.map((reason) => ({ value: reason.value, text: t(reason.text), hint: { text: t(reason.hint) } })),
        values,
        errors: formErrors(errors),
      },
      status,
    );
  }

  private renderAdoption(
    res: Response,
    practice: PracticeEntity,
    values: { outcome: string; note: string },
    updating: boolean,
    errors: FieldError[],
    status = 200,
  ): void {
    this.views.render(res, 'pages/practices/adoption.njk', { practice: this.header(practice), values, updating, errors: formErrors(errors) }, status);
  }
}

/** A revision number from the address, or null when it is not one. */
function revisionNumber(value: string): number | null {
  return /^\d{1,9}$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}
