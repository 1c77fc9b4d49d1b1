import { Controller, Get, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { IdentityLoaders, OrganisationRepository, Permission, RequirePermission, requireGlobalId, toGlobalId, type OrganisationEntity } from '#identity';
import {
  PracticeAccess,
  PracticeAccessService,
  PracticeError,
  PracticeErrorCode,
  PracticeLoaders,
  PracticeService,
  PracticeStatus,
  type PracticeEntity,
} from '#practices';
import type { Request, Response } from 'express';
import { WebInputError } from '../errors/web-errors.js';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { formErrors, type FieldError } from '../forms/form-errors.js';
import { actorOf, loaderContext, pageContext } from '../page-context.js';
import { WebViews } from '../rendering/web-views.js';
import {
  VISIBILITIES,
  blankPracticeForm,
  checkPracticeForm,
  languageOptions,
  practiceFormOf,
  readPracticeForm,
  serviceFieldError,
  tagLabelsOf,
  type PracticeFormValues,
} from './practice-form.js';

/** How many organisations the audience choice offers. */
const AUDIENCE_OPTIONS = 200;

/** One field that differs between the saved practice and what the person typed, after a revision conflict. */
interface ConflictField {
  label: string;
  saved: string;
  typed: string;
}

/**
 * Writing practices: a new draft, edits (a stale revision shows both versions and keeps what was typed), publishing
 * and archiving. PracticeService decides every write; a person it refuses gets the "not found" page, as the API
 * answers, and nothing is written.
 */
@Controller('practices')
@UseFilters(WebExceptionFilter)
export class WriteController {
  constructor(
    private readonly views: WebViews,
    private readonly service: PracticeService,
    private readonly loaders: PracticeLoaders,
    private readonly identity: IdentityLoaders,
    private readonly access: PracticeAccessService,
    private readonly organisations: OrganisationRepository,
  ) {}

  @RequirePermission(Permission.PRACTICE_WRITE)
  @Get('new')
  async newForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderForm(req, res, { values: blankPracticeForm(pageContext(res).lang), errors: [] });
  }

  @RequirePermission(Permission.PRACTICE_WRITE)
  @Post('new')
  async create(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { t } = pageContext(res);
    const values = readPracticeForm(req.body as Record<string, unknown>);
    const { input, errors } = await checkPracticeForm(values, t);
    if (errors.length) return this.renderForm(req, res, { values, errors }, 400);
    try {
      const practice = await this.service.create(actorOf(req), input);
      res.redirect(303, `/practices/${toGlobalId('Practice', practice.id)}?done=created`);
    } catch (error) {
      const problem = serviceFieldError(error, t);
      if (!problem) throw error;
      await this.renderForm(req, res, { values, errors: [problem] }, 400);
    }
  }

  @RequirePermission(Permission.PRACTICE_WRITE)
  @Get(':id/edit')
  async editForm(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const practice = await this.editable(req, id);
    await this.renderForm(req, res, { practice, values: await this.savedValues(req, practice), errors: [] });
  }

  @RequirePermission(Permission.PRACTICE_WRITE)
  @Post(':id/edit')
  async update(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { t, formats } = pageContext(res);
    const practice = await this.editable(req, id);
    const values = readPracticeForm(req.body as Record<string, unknown>);
    const expectedRevision = Number(values.expectedRevision);
    // The form always carries the revision it was filled from.
    if (!Number.isInteger(expectedRevision) || expectedRevision < 1) throw new WebInputError('The edit form has no revision');
    const { input, errors } = await checkPracticeForm(values, t);
    if (errors.length) return this.renderForm(req, res, { practice, values, errors }, 400);
    try {
      await this.service.update(actorOf(req), practice.id, { ...input, expectedRevision });
      res.redirect(303, `/practices/${id}?done=saved`);
    } catch (error) {
      if (error instanceof PracticeError && error.code === PracticeErrorCode.REVISION_CONFLICT) {
        // Someone saved since this form was filled: show their version beside the person's, keep what they typed,
        // and base the next save on the revision they have now seen.
        const current = await this.reload(req, practice.id);
        const saved = await this.savedValues(req, current);
        const options = await this.audienceOptions(req);
        const conflict = {
          revision: current.revision,
          updated: formats.date(current.updatedAt),
          fields: this.differences(saved, values, options, res),
        };
        const kept = { ...values, expectedRevision: String(current.revision) };
        return this.renderForm(req, res, { practice: current, values: kept, errors: [{ field: 'conflict', text: t('write.errors.conflict') }], conflict }, 409);
      }
      const problem = serviceFieldError(error, t);
      if (!problem) throw error;
      await this.renderForm(req, res, { practice, values, errors: [problem] }, 400);
    }
  }

  @RequirePermission(Permission.PRACTICE_WRITE)
  @Get(':id/publish')
  async publishConfirm(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const practice = await this.editable(req, id);
    this.renderConfirm(res, 'publish', practice, []);
  }

  @RequirePermission(Permission.PRACTICE_WRITE)
  @Post(':id/publish')
  async publish(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const practice = await this.editable(req, id);
    await this.service.publish(actorOf(req), practice.id);
    res.redirect(303, `/practices/${id}?done=published`);
  }

  @RequirePermission(Permission.PRACTICE_WRITE)
  @Get(':id/archive')
  async archiveConfirm(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const practice = await this.editable(req, id);
    this.renderConfirm(res, 'archive', practice, []);
  }

  @RequirePermission(Permission.PRACTICE_WRITE)
  @Post(':id/archive')
  async archive(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const practice = await this.editable(req, id);
    try {
      await this.service.archive(actorOf(req), practice.id);
    } catch (error) {
      if (error instanceof PracticeError && error.code === PracticeErrorCode.INVALID_STATE) {
        return this.renderConfirm(res, 'archive', practice, [{ field: 'archive', text: pageContext(res).t('write.errors.archiveDraft') }], 400);
      }
      throw error;
    }
    res.redirect(303, `/practices/${id}?done=archived`);
  }

  /**
   * The practice, when the person may change it: the access rule PracticeService applies to every edit. Refused, it
   * is "not found", whether they cannot read it or only cannot change it.
   */
  private async editable(req: Request, id: string): Promise<PracticeEntity> {
    const rowId = requireGlobalId(id, 'Practice');
    await this.access.requireAccess(actorOf(req), PracticeAccess.PRACTICE_EDIT, [rowId]);
    const practice = await this.loaders.for(loaderContext(req)).practice.load(rowId);
    if (!practice) throw new PracticeError(PracticeErrorCode.PRACTICE_NOT_FOUND, 'No practice you may read has this id');
    return practice;
  }

  /** The practice as saved now, not as this request first loaded it. */
  private async reload(req: Request, rowId: string): Promise<PracticeEntity> {
    const loaders = this.loaders.for(loaderContext(req));
    loaders.tags.clear(rowId);
    loaders.audience.clear(rowId);
    const practice = await loaders.practice.clear(rowId).load(rowId);
    if (!practice) throw new PracticeError(PracticeErrorCode.PRACTICE_NOT_FOUND, 'No practice you may read has this id');
    return practice;
  }

  /** The form filled with the practice as saved: its topics' labels and its audience's slugs through the loaders. */
  private async savedValues(req: Request, practice: PracticeEntity): Promise<PracticeFormValues> {
    const context = loaderContext(req);
    const loaders = this.loaders.for(context);
    const [tags, audienceIds] = await Promise.all([loaders.tags.load(practice.id), loaders.audience.load(practice.id)]);
    const audience = await this.identity.for(context).organisation.loadMany(audienceIds);
    const slugs = audience.filter((o): o is OrganisationEntity => !!o && !(o instanceof Error)).map((o) => o.slug);
    return practiceFormOf(
      practice,
      tags.map((tag) => tag.label),
      slugs,
    );
  }

  /** The organisations a TLP:AMBER practice may name, without the writer's own (which always reads it). */
  private async audienceOptions(req: Request): Promise<{ value: string; text: string }[]> {
    const own = actorOf(req).organisationId;
    const rows = await this.organisations.list({}, AUDIENCE_OPTIONS);
    return rows
      .filter((o) => o.id !== own)
      .map((o) => ({ value: o.slug, text: o.name }))
      .sort((a, b) => a.text.localeCompare(b.text));
  }

  /** The fields whose saved text differs from what the person typed, each as both see it. */
  private differences(saved: PracticeFormValues, typed: PracticeFormValues, options: { value: string; text: string }[], res: Response): ConflictField[] {
    const { t, lang } = pageContext(res);
    const languages = languageOptions(lang, '');
    const resources = (v: PracticeFormValues) =>
      v.resources
        .filter((r) => r.title || r.url)
        .map((r) => t('write.conflict.resource', { title: r.title, url: r.url }))
        .join('\n');
    const tags = (v: PracticeFormValues) => tagLabelsOf(v.tags).join(', ');
    const language = (v: PracticeFormValues) => languages.find((o) => o.value === v.language)?.text ?? v.language;
    const visibility = (v: PracticeFormValues) => (v.visibility ? t(`tlp.label.${v.visibility}`) : t('write.conflict.notChosen'));
    const audience = (v: PracticeFormValues) =>
      v.visibility === 'TLP_AMBER'
        ? v.audience
            .map((slug) => options.find((o) => o.value === slug)?.text ?? slug)
            .sort()
            .join(', ')
        : '';
    const fields: [string, (v: PracticeFormValues) => string][] = [
      ['write.fields.title', (v) => v.title],
      ['write.fields.summary', (v) => v.summary],
      ['write.fields.problem', (v) => v.problem],
      ['write.fields.approach', (v) => v.approach],
      ['write.fields.outcomes', (v) => v.outcomes],
      ['write.fields.resources', resources],
      ['write.fields.tags', tags],
      ['write.fields.language', language],
      ['write.fields.visibility', visibility],
      ['write.fields.audience', audience],
    ];
    return fields
      .map(([key, show]) => ({ label: t(key), saved: show(saved), typed: show(typed) }))
      .filter((field) => field.saved !== field.typed)
      .map((field) => ({ ...field, saved: field.saved || t('write.conflict.empty'), typed: field.typed || t('write.conflict.empty') }));
  }

  private async renderForm(
    req: Request,
    res: Response,
    data: {
      practice?: PracticeEntity;
      values: PracticeFormValues;
      errors: FieldError[];
      conflict?: { revision: number; updated: string; fields: ConflictField[] };
    },
    status = 200,
  ): Promise<void> {
    const { t, lang } = pageContext(res);
    const { practice, values } = data;
    this.views.render(
      res,
      'pages/write/practice-form.njk',
      {
        mode: practice ? 'edit' : 'new',
        action: practice ? `/practices/${toGlobalId('Practice', practice.id)}/edit` : '/practices/new',
        practice: practice && { id: toGlobalId('Practice', practice.id), title: practice.title, language: practice.language, revision: practice.revision },
        values,
        errors: formErrors(data.errors),
        conflict: data.conflict,
        options: {
          languages: languageOptions(lang, values.language),
          visibilities: VISIBILITIES.map((visibility) => ({ value: visibility, text: t(`tlp.label.${visibility}`), hint: t(`tlp.meaning.${visibility}`) })),
          audience: await this.audienceOptions(req),
        },
      },
      status,
    );
  }

  private renderConfirm(res: Response, action: 'publish' | 'archive', practice: PracticeEntity, errors: FieldError[], status = 200): void {
    this.views.render(
      res,
      `pages/write/${action}.njk`,
      {
        practice: {
          id: toGlobalId('Practice', practice.id),
          title: practice.title,
          language: practice.language,
          visibility: practice.visibility,
          status: practice.status,
          draft: practice.status === PracticeStatus.DRAFT,
        },
        errors: formErrors(errors),
      },
      status,
    );
  }
}
