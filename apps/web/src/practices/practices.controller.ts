import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { IdentityError, IdentityErrorCode, OrganisationRepository, Permission, Public, RequirePermission, requireGlobalId, toGlobalId } from '#identity';
import {
  AddCommentInput,
  CommentService,
  PracticeError,
  PracticeErrorCode,
  PracticeLoaders,
  PracticeQueryService,
  TagRepository,
  Visibility,
  type PracticeConnection,
  type PracticeEntity,
} from '#practices';
import type { Request, Response } from 'express';
import { WebInputError } from '../errors/web-errors.js';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { formErrors, single, type FieldError } from '../forms/form-errors.js';
import { actorOf, loaderContext, pageContext } from '../page-context.js';
import { WebViews } from '../rendering/web-views.js';
import { COMMENT_RULES, DONE_MESSAGES, commentAnchor } from './practice-actions.forms.js';
import { asInput, fieldErrors, textOf } from './form-rules.js';
import { ORGANISATION_KINDS, formFieldOf, readPracticeSearch, searchQuery } from './practice-search.form.js';
import { PracticeViews } from './practice-views.js';

/** Results per page of the practices list. */
export const PRACTICES_PAGE_SIZE = 20;

/** How many tags and organisations the filters offer. */
const FILTER_OPTIONS = 100;

/** The practices list (search, filters, pages) and a practice's page; what the viewer may read only. */
@Controller('practices')
@UseFilters(WebExceptionFilter)
export class PracticesController {
  constructor(
    private readonly views: WebViews,
    private readonly query: PracticeQueryService,
    private readonly loaders: PracticeLoaders,
    private readonly practiceViews: PracticeViews,
    private readonly tags: TagRepository,
    private readonly organisations: OrganisationRepository,
    private readonly comments: CommentService,
  ) {}

  @Public()
  @Get()
  async list(@Req() req: Request, @Res() res: Response, @Query() raw: Record<string, unknown>): Promise<void> {
    const { t, lang, formats } = pageContext(res);
    const viewer = actorOf(req).viewer;
    const search = await readPracticeSearch(raw, t);
    let connection: PracticeConnection | null = null;
    if (!search.errors.length) {
      try {
        connection = await this.query.list(viewer, search.filter, search.order, PRACTICES_PAGE_SIZE, search.values.after || undefined);
      } catch (error) {
        if (error instanceof PracticeError && error.code === PracticeErrorCode.INVALID_INPUT)
          search.errors.push({ field: formFieldOf(error.field), text: t('practices.errors.filterRefused') });
        else if (error instanceof IdentityError && error.code === IdentityErrorCode.INVALID_CURSOR) throw new WebInputError('The page link is broken');
        else throw error;
      }
    }
    const [tagRows, organisationRows] = await Promise.all([this.tags.listVisible(viewer, FILTER_OPTIONS), this.organisations.list({}, FILTER_OPTIONS)]);
    const items = connection ? await this.practiceViews.listItems(loaderContext(req), connection.edges, lang, formats) : [];
    const { values } = search;
    const page = values.back.length + 1;
    const pagination = connection && {
      previous: values.after
        ? { href: `/practices${searchQuery(values, { after: values.back.at(-1) === '-' ? '' : (values.back.at(-1) ?? ''), back: values.back.slice(0, -1) })}` }
        : null,
      next: connection.pageInfo.hasNextPage
        ? { href: `/practices${searchQuery(values, { after: connection.pageInfo.endCursor!, back: [...values.back, values.after || '-'] })}` }
        : null,
    };
    const countries = [...new Set([...organisationRows.map((o) => o.country), ...values.countries.map((c) => c.toUpperCase())])];
    this.views.render(
      res,
      'pages/practices/list.njk',
      {
        values,
        errors: formErrors(search.errors),
        items,
        page,
        pagination,
        canWrite: actorOf(req).can(Permission.PRACTICE_WRITE),
        order: values.order || (values.q ? 'relevance' : 'newest'),
        options: {
          tags: tagRows
            .filter((tag) => tag.practiceCount > 0 || values.tags.includes(tag.slug))
            .map((tag) => ({ value: tag.slug, text: `${tag.label} (${tag.practiceCount})` })),
          organisations: organisationRows.map((o) => ({ value: o.slug, text: o.name })).sort((a, b) => a.text.localeCompare(b.text, lang)),
          kinds: ORGANISATION_KINDS.map((kind) => ({ value: kind, text: t(`organisationKinds.${kind}`) })),
          countries: countries.map((code) => ({ value: code, text: formats.country(code) })).sort((a, b) => a.text.localeCompare(b.text, lang)),
        },
      },
      search.errors.length ? 400 : 200,
    );
  }

  @Public()
  @Get(':id')
  async show(@Param('id') id: string, @Req() req: Request, @Res() res: Response, @Query('done') done?: unknown): Promise<void> {
    const practice = await this.readable(req, id);
    const doneKey = DONE_MESSAGES[single(done)];
    await this.renderPage(req, res, practice, { done: doneKey ? pageContext(res).t(doneKey) : null });
  }

  /** A comment from the form at the foot of the practice page; a problem shows that page again with what was typed. */
  @RequirePermission(Permission.COMMENT_WRITE)
  @Post(':id/comments')
  async comment(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { t } = pageContext(res);
    const practice = await this.readable(req, id);
    const body = textOf((req.body as Record<string, unknown>).body);
    const { input, errors } = await asInput(AddCommentInput, { practiceId: id, body });
    const problems = fieldErrors(errors, COMMENT_RULES, t);
    if (problems.length) return this.renderPage(req, res, practice, { commentForm: { body, errors: problems } }, 400);
    const comment = await this.comments.add(actorOf(req), practice.id, input.body, null);
    res.redirect(303, `/practices/${id}?done=commented#${commentAnchor(toGlobalId('Comment', comment.id))}`);
  }

  /** The practice, when the visitor may read it (the API's read rule, through its loader); otherwise "not found". */
  private async readable(req: Request, id: string): Promise<PracticeEntity> {
    const practice = await this.loaders.for(loaderContext(req)).practice.load(requireGlobalId(id, 'Practice'));
    if (!practice) throw new PracticeError(PracticeErrorCode.PRACTICE_NOT_FOUND, 'No practice you may read has this id');
    return practice;
  }

  private async renderPage(
    req: Request,
    res: Response,
    practice: PracticeEntity,
    extra: { done?: string | null; commentForm?: { body: string; errors: FieldError[] } },
    status = 200,
  ): Promise<void> {
    const view = await this.practiceViews.page(loaderContext(req), practice, pageContext(res).formats);
    // AMBER titles stay out of the <title>: it ends up in history, bookmarks and tab titles others see.
    const neutralTitle = practice.visibility === Visibility.TLP_AMBER || practice.visibility === Visibility.TLP_AMBER_STRICT;
    const commentErrors = extra.commentForm?.errors ?? [];
    this.views.render(
      res,
      'pages/practices/practice.njk',
      { practice: view, neutralTitle, done: extra.done ?? null, commentBody: extra.commentForm?.body ?? '', errors: formErrors(commentErrors) },
      status,
    );
  }
}
