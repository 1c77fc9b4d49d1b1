import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import {
  IdentityError,
  IdentityErrorCode,
  IdentityLoaders,
  OrganisationKind,
  OrganisationRepository,
  OrganisationService,
  Permission,
  RequirePermission,
  decodeCursor,
  encodeCursor,
  type OrganisationEntity,
} from '#identity';
import type { Request, Response } from 'express';
import { pageLinks, readPaging } from '../admin/paging.js';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { formErrors, single, type FieldError } from '../forms/form-errors.js';
import { actorOf, loaderContext, pageContext } from '../page-context.js';
import { WebViews } from '../rendering/web-views.js';
import { KIND_KEYS, readOrganisationForm, type OrganisationFormValues } from './organisation.form.js';

export const ORGANISATIONS_PAGE_SIZE = 50;

const DONE_KEYS: Record<string, string> = {
  created: 'platform.done.created',
  updated: 'platform.done.updated',
};

/**
 * The platform admins' pages: every organisation with its e-mail domains, and creating or changing one through
 * OrganisationService, as the organisations query and the upsertOrganisation mutation use it.
 */
@Controller('platform')
@UseFilters(WebExceptionFilter)
export class PlatformController {
  constructor(
    private readonly views: WebViews,
    private readonly organisations: OrganisationRepository,
    private readonly service: OrganisationService,
    private readonly identity: IdentityLoaders,
  ) {}

  @RequirePermission(Permission.ORGANISATION_MANAGE)
  @Get()
  async list(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const { t, formats } = pageContext(res);
    const paging = readPaging(query);
    const after = paging.after ? String(decodeCursor(paging.after, ['text'])[0]) : undefined;
    const rows = await this.organisations.list({}, ORGANISATIONS_PAGE_SIZE, after);
    const shown = rows.slice(0, ORGANISATIONS_PAGE_SIZE);
    const last = shown.at(-1);
    const nextCursor = rows.length > ORGANISATIONS_PAGE_SIZE && last ? encodeCursor([last.slug]) : null;
    const domains = this.identity.for(loaderContext(req)).domains;
    const done = DONE_KEYS[single(query.done)];
    this.views.render(res, 'pages/platform/organisations.njk', {
      organisations: await Promise.all(
        shown.map(async (organisation) => ({
          slug: organisation.slug,
          name: organisation.name,
          kind: t(KIND_KEYS[organisation.kind]),
          country: formats.country(organisation.country),
          region: organisation.region,
          domains: await domains.load(organisation.id),
        })),
      ),
      pagination: pageLinks('/platform', {}, paging, nextCursor),
      done: done ? t(done) : null,
    });
  }

  @RequirePermission(Permission.ORGANISATION_MANAGE)
  @Get('organisations/new')
  createForm(@Res() res: Response): void {
    this.renderForm(res, null, { slug: '', name: '', kind: '', country: 'GB', region: '', emailDomains: '' }, []);
  }

  @RequirePermission(Permission.ORGANISATION_MANAGE)
  @Post('organisations')
  async create(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { t } = pageContext(res);
    const { values, input, errors } = await readOrganisationForm((req.body ?? {}) as Record<string, unknown>, null, t);
    // This form makes a new organisation: an existing slug would change that one instead.
    if (!errors.some((e) => e.field === 'slug') && (await this.organisations.findBySlug(values.slug))) {
      errors.unshift({ field: 'slug', text: t('platform.errors.slugTaken') });
    }
    if (errors.length) {
      this.renderForm(res, null, values, errors, 400);
      return;
    }
    if (!(await this.upsert(req, res, null, values, input))) return;
    res.redirect(303, `/platform?done=created`);
  }

  @RequirePermission(Permission.ORGANISATION_MANAGE)
  @Get('organisations/:slug')
  async editForm(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    const organisation = await this.service.requireBySlug(slug);
    const domains = (await this.organisations.domainsOf([organisation.id])).map((d) => d.domain);
    this.renderForm(
      res,
      organisation,
      {
        slug: organisation.slug,
        name: organisation.name,
        kind: organisation.kind,
        country: organisation.country,
        region: organisation.region ?? '',
        emailDomains: domains.join('\n'),
      },
      [],
    );
  }

  @RequirePermission(Permission.ORGANISATION_MANAGE)
  @Post('organisations/:slug')
  async update(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { t } = pageContext(res);
    const organisation = await this.service.requireBySlug(slug);
    const { values, input, errors } = await readOrganisationForm((req.body ?? {}) as Record<string, unknown>, organisation.slug, t);
    if (errors.length) {
      this.renderForm(res, organisation, values, errors, 400);
      return;
    }
    if (!(await this.upsert(req, res, organisation, values, input))) return;
    res.redirect(303, `/platform?done=updated`);
  }

  /** Saves through the service; its refusals (a domain of another organisation, a malformed one) go on the form. */
  private async upsert(
    req: Request,
    res: Response,
    organisation: OrganisationEntity | null,
    values: OrganisationFormValues,
    input: Awaited<ReturnType<typeof readOrganisationForm>>['input'],
  ): Promise<boolean> {
    const { t } = pageContext(res);
    try {
      await this.service.upsert(actorOf(req), input);
      return true;
    } catch (error) {
      if (
        error instanceof IdentityError &&
        (error.code === IdentityErrorCode.DOMAIN_TAKEN || (error.code === IdentityErrorCode.INVALID_INPUT && error.field === 'emailDomains'))
      ) {
        const text =
          error.code === IdentityErrorCode.DOMAIN_TAKEN
            ? t('platform.errors.domainTaken', { domains: /^emailDomains: (.*) already belongs/.exec(error.message)?.[1] ?? '' })
            : t('platform.errors.domainInvalid', { domain: /"([^"]*)"/.exec(error.message)?.[1] ?? '' });
        this.renderForm(res, organisation, values, [{ field: 'emailDomains', text }], 400);
        return false;
      }
      throw error;
    }
  }

  private renderForm(res: Response, organisation: OrganisationEntity | null, values: OrganisationFormValues, errors: FieldError[], status = 200): void {
    const { t } = pageContext(res);
    this.views.render(
      res,
      'pages/platform/organisation-form.njk',
      {
        organisation: organisation && { slug: organisation.slug, name: organisation.name },
        values,
        kinds: Object.values(OrganisationKind).map((kind) => ({ value: kind, text: t(KIND_KEYS[kind]) })),
        errors: formErrors(errors),
      },
      status,
    );
  }
}
