import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { DigestChannel, DigestError, DigestErrorCode, DigestSubscriptionService, MAX_SUBSCRIPTIONS_PER_MEMBER, type DigestSubscriptionEntity } from '#digests';
import { OrganisationKind, OrganisationRepository, Permission, RequirePermission, requireGlobalId, toGlobalId, type Viewer } from '#identity';
import { TagRepository, toPractice } from '#practices';
import type { Request, Response } from 'express';
import { WebError, WebErrorCode } from '../errors/web-errors.js';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { formErrors, single, type FieldError, type FormErrors } from '../forms/form-errors.js';
import { weekdayName } from '../i18n/date-time.js';
import { actorOf, loaderContext, pageContext } from '../page-context.js';
import { PracticeViews } from '../practices/practice-views.js';
import { WebViews } from '../rendering/web-views.js';
import {
  createInputOf,
  digestFormOf,
  emptyDigestForm,
  readDigestForm,
  serviceError,
  sortByField,
  updateInputOf,
  type DigestFormValues,
} from './digest-form.js';
import { WEEKDAYS, deliveryView, digestSummary, type DigestViewContext, type FilterNames } from './digest-views.js';
import { COMMON_TIME_ZONES } from './time-zones.js';

/** How many tags and organisations the filters offer (and name). */
const FILTER_OPTIONS = 200;

/** How many deliveries a digest's page lists. */
const DELIVERY_LOG_SIZE = 20;

/** The banners a page shows after a change; the address says which, never what the digest is called. */
const DONE_MESSAGES: Record<string, string> = {
  created: 'digests.done.created',
  updated: 'digests.done.updated',
  paused: 'digests.done.paused',
  resumed: 'digests.done.resumed',
  rotated: 'digests.done.rotated',
  deleted: 'digests.done.deleted',
};

/**
 * A member's digest subscriptions: list, create, change, preview, pause and resume, delete, the secrets and their
 * rotation, the delivery log. Every rule is DigestSubscriptionService's, as for the GraphQL mutations; another
 * member's subscription is "not found".
 */
@Controller('digests')
@UseFilters(WebExceptionFilter)
export class DigestsController {
  constructor(
    private readonly views: WebViews,
    private readonly subscriptions: DigestSubscriptionService,
    private readonly practiceViews: PracticeViews,
    private readonly tags: TagRepository,
    private readonly organisations: OrganisationRepository,
  ) {}

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Get()
  async list(@Req() req: Request, @Res() res: Response, @Query('done') done: unknown): Promise<void> {
    const actor = actorOf(req);
    const [rows, last, context] = await Promise.all([
      this.subscriptions.list(actor),
      this.subscriptions.lastDeliveries(actor),
      this.viewContext(res, actor.viewer),
    ]);
    this.views.render(res, 'pages/digests/list.njk', {
      digests: rows.map((row) => digestSummary(row, last.get(row.id), context)),
      done: this.doneMessage(res, done),
    });
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Get('new')
  async newForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.renderForm(req, res, { mode: 'create', values: emptyDigestForm(), errors: [] });
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Post('new')
  async create(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const { t } = pageContext(res);
    const values = readDigestForm(body);
    const { input, errors } = await createInputOf(values, t);
    if (errors.length) return this.renderForm(req, res, { mode: 'create', values, errors });
    try {
      const created = await this.subscriptions.create(actorOf(req), input);
      res.redirect(303, `${this.href(created)}?done=created`);
    } catch (error) {
      if (error instanceof DigestError && error.code === DigestErrorCode.SUBSCRIPTION_LIMIT_REACHED) {
        return this.renderForm(req, res, {
          mode: 'create',
          values,
          errors: [],
          summaryOnly: t('digests.errors.limitReached', { limit: MAX_SUBSCRIPTIONS_PER_MEMBER }),
        });
      }
      const fieldError = serviceError(error, values, t);
      if (!fieldError) throw error;
      return this.renderForm(req, res, { mode: 'create', values, errors: [fieldError] });
    }
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Get(':id')
  async show(@Param('id') id: string, @Req() req: Request, @Res() res: Response, @Query('done') done: unknown): Promise<void> {
    const actor = actorOf(req);
    const subscription = await this.subscriptions.require(actor, rowIdOf(id));
    const [deliveries, context] = await Promise.all([
      this.subscriptions.deliveries(actor, subscription.id, DELIVERY_LOG_SIZE),
      this.viewContext(res, actor.viewer),
    ]);
    const secrets = this.subscriptions.secretsOf(subscription, actor);
    this.views.render(res, 'pages/digests/digest.njk', {
      digest: digestSummary(subscription, deliveries[0], context),
      // Shown only when the service hands them to this caller (never to a token that may not read what it carries).
      webhookSecret: secrets.webhookSecret,
      feedUrl: secrets.feedUrl,
      hasSecret: subscription.channel !== DigestChannel.EMAIL,
      deliveries: deliveries.map((delivery) => deliveryView(delivery, subscription, context)),
      done: this.doneMessage(res, done),
    });
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Get(':id/edit')
  async editForm(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const subscription = await this.subscriptions.require(actorOf(req), rowIdOf(id));
    await this.renderForm(req, res, { mode: 'edit', subscription, values: digestFormOf(subscription), errors: [] });
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Post(':id/edit')
  async update(@Param('id') id: string, @Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const { t } = pageContext(res);
    const actor = actorOf(req);
    const subscription = await this.subscriptions.require(actor, rowIdOf(id));
    const values = readDigestForm(body);
    const { input, errors } = await updateInputOf(id, values, t);
    if (errors.length) return this.renderForm(req, res, { mode: 'edit', subscription, values, errors });
    const { id: _id, ...changes } = input;
    try {
      await this.subscriptions.update(actor, subscription.id, changes);
    } catch (error) {
      const fieldError = serviceError(error, values, t);
      if (!fieldError) throw error;
      return this.renderForm(req, res, { mode: 'edit', subscription, values, errors: [fieldError] });
    }
    res.redirect(303, `${this.href(subscription)}?done=updated`);
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Get(':id/preview')
  async preview(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const { lang, formats } = pageContext(res);
    const subscription = await this.subscriptions.require(actor, rowIdOf(id));
    const entries = await this.subscriptions.preview(actor, subscription.id);
    const edges = entries.map((entity) => ({ cursor: '', snippet: null, node: toPractice(entity) }));
    const items = await this.practiceViews.listItems(loaderContext(req), edges, lang, formats);
    this.views.render(res, 'pages/digests/preview.njk', { digest: { name: subscription.name, href: this.href(subscription) }, items });
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Post(':id/pause')
  async pause(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const paused = await this.subscriptions.pause(actorOf(req), rowIdOf(id));
    res.redirect(303, `${this.href(paused)}?done=paused`);
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Post(':id/resume')
  async resume(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const resumed = await this.subscriptions.resume(actorOf(req), rowIdOf(id));
    res.redirect(303, `${this.href(resumed)}?done=resumed`);
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Get(':id/delete')
  async confirmDelete(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const subscription = await this.subscriptions.require(actorOf(req), rowIdOf(id));
    this.views.render(res, 'pages/digests/delete.njk', { digest: { name: subscription.name, href: this.href(subscription) } });
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Post(':id/delete')
  async delete(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.subscriptions.delete(actorOf(req), rowIdOf(id));
    res.redirect(303, '/digests?done=deleted');
  }

  /** Confirms a new webhook secret or feed address; an e-mail digest has neither. */
  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Get(':id/secret')
  async confirmRotate(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const subscription = await this.subscriptions.require(actorOf(req), rowIdOf(id));
    if (subscription.channel === DigestChannel.EMAIL) throw new WebError(WebErrorCode.NOT_FOUND, 'An e-mail digest has no secret');
    this.views.render(res, 'pages/digests/rotate.njk', { digest: { name: subscription.name, href: this.href(subscription), channel: subscription.channel } });
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Post(':id/secret')
  async rotate(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const subscription = await this.subscriptions.require(actor, rowIdOf(id));
    if (subscription.channel === DigestChannel.EMAIL) throw new WebError(WebErrorCode.NOT_FOUND, 'An e-mail digest has no secret');
    await this.subscriptions.rotateSecret(actor, subscription.id);
    res.redirect(303, `${this.href(subscription)}?done=rotated`);
  }

  private href(subscription: Pick<DigestSubscriptionEntity, 'id'>): string {
    return `/digests/${toGlobalIdOf(subscription.id)}`;
  }

  private doneMessage(res: Response, done: unknown): string | null {
    const key = DONE_MESSAGES[single(done)];
    return key ? pageContext(res).t(key) : null;
  }

  /** The names of tags and organisations for the filters, as the viewer may see them (the API's tag list). */
  private async filterOptions(viewer: Viewer) {
    const [tagRows, organisationRows] = await Promise.all([this.tags.listVisible(viewer, FILTER_OPTIONS), this.organisations.list({}, FILTER_OPTIONS)]);
    return { tagRows, organisationRows };
  }

  private async viewContext(res: Response, viewer: Viewer): Promise<DigestViewContext> {
    const { t, lang, formats } = pageContext(res);
    const { tagRows, organisationRows } = await this.filterOptions(viewer);
    const names: FilterNames = {
      tags: new Map(tagRows.map((tag) => [tag.slug, tag.label])),
      organisations: new Map(organisationRows.map((o) => [o.slug, o.name])),
    };
    return { t, lang, formats, names };
  }

  private async renderForm(
    req: Request,
    res: Response,
    form: { mode: 'create' | 'edit'; subscription?: DigestSubscriptionEntity; values: DigestFormValues; errors: FieldError[]; summaryOnly?: string },
  ): Promise<void> {
    const { t, lang, formats } = pageContext(res);
    const { values } = form;
    const { tagRows, organisationRows } = await this.filterOptions(actorOf(req).viewer);
    const byText = (a: { text: string }, b: { text: string }) => a.text.localeCompare(b.text, lang);
    const known = new Set(tagRows.map((tag) => tag.slug));
    // What the digest already has stays on offer, even when the lists do not hold it (a tag no practice has yet).
    const tags = [
      ...tagRows.map((tag) => ({ value: tag.slug, text: tag.label })),
      ...values.tags.filter((slug) => !known.has(slug)).map((slug) => ({ value: slug, text: slug })),
    ].sort(byText);
    const knownOrganisations = new Set(organisationRows.map((o) => o.slug));
    const organisations = [
      ...organisationRows.map((o) => ({ value: o.slug, text: o.name })),
      ...values.organisations.filter((slug) => !knownOrganisations.has(slug)).map((slug) => ({ value: slug, text: slug })),
    ].sort(byText);
    const countries = [...new Set([...organisationRows.map((o) => o.country), ...values.countries.map((c) => c.toUpperCase())])]
      .map((code) => ({ value: code, text: formats.country(code) }))
      .sort(byText);
    const zones: string[] = [...COMMON_TIME_ZONES];
    if (values.timeZone && !zones.includes(values.timeZone)) zones.unshift(values.timeZone);
    const errors: FormErrors = formErrors(sortByField(form.errors));
    // Not about one field: the summary says it without a link.
    if (form.summaryOnly) errors.list.unshift({ text: form.summaryOnly, href: '' });
    const hours = Array.from({ length: 24 }, (_, hour) => ({ value: String(hour), text: `${String(hour).padStart(2, '0')}:00` }));
    this.views.render(
      res,
      'pages/digests/form.njk',
      {
        mode: form.mode,
        action: form.mode === 'create' ? '/digests/new' : `${this.href(form.subscription!)}/edit`,
        cancelHref: form.mode === 'create' ? '/digests' : this.href(form.subscription!),
        values,
        errors,
        options: {
          tags,
          organisations,
          countries,
          kinds: Object.values(OrganisationKind).map((kind) => ({ value: kind, text: t(`organisationKinds.${kind}`) })),
          hours,
          weekdays: WEEKDAYS.map((day, index) => ({ value: day, text: weekdayName(lang, index) })),
          timeZones: zones.map((zone) => ({ value: zone, text: zone.replace(/_/g, ' ') })),
        },
      },
      errors.list.length ? 400 : 200,
    );
  }
}

function toGlobalIdOf(rowId: string): string {
  return toGlobalId('DigestSubscription', rowId);
}

/** The row id of a subscription's address; a malformed one is "not found". */
function rowIdOf(id: string): string {
  return requireGlobalId(id, 'DigestSubscription');
}
