import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import {
  ConfirmIdentityProviderTrustInput,
  certificateFacts,
  IdentityError,
  IdentityErrorCode,
  IdentityProviderService,
  Permission,
  RequirePermission,
  mayConfirmIdentityProviderTrust,
  mayManageIdentityProviders,
  requireGlobalId,
  toGlobalId,
  trustChangeUnconfirmed,
  type IdentityProviderEntity,
} from '#identity';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { dateTimeFormat } from '../admin/date-times.js';
import { WebInputError } from '../errors/web-errors.js';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { formErrors, single, type FieldError } from '../forms/form-errors.js';
import type { Formats } from '../i18n/formats.js';
import type { Translate } from '../i18n/messages.js';
import { UPLOAD_LIMITS, type UploadRequest } from '../middleware/multipart.js';
import { actorOf, pageContext } from '../page-context.js';
import { WebViews } from '../rendering/web-views.js';
import { idpFormField, readIdpForm, type IdpFormValues } from './identity-provider.form.js';
import { OrganisationScopes, type OrganisationScope } from './organisation-scope.js';

const DONE_KEYS: Record<string, string> = {
  added: 'organisation.idps.done.added',
  confirmed: 'organisation.idps.done.confirmed',
};

/**
 * An organisation's identity providers: what is configured and in what state, the values its IdP's administrator
 * needs, and adding or replacing one from a metadata address or file, through IdentityProviderService as the
 * configureIdentityProvider and confirmIdentityProviderTrust mutations use it.
 */
@Controller('organisation/identity-providers')
@UseFilters(WebExceptionFilter)
export class IdentityProvidersController {
  constructor(
    private readonly views: WebViews,
    private readonly scopes: OrganisationScopes,
    private readonly idps: IdentityProviderService,
  ) {}

  @RequirePermission(Permission.IDP_MANAGE)
  @Get()
  async list(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const { t, lang, formats } = pageContext(res);
    const actor = actorOf(req);
    const scope = await this.scopes.of(req, query.org);
    const rows = await this.idps.listOfOrganisation(actor, scope.organisation);
    const done = DONE_KEYS[single(query.done)];
    this.views.render(res, 'pages/organisation/identity-providers.njk', {
      scope,
      picksAny: OrganisationScopes.picksAny(req),
      subNavigation: this.scopes.subNavigation(scope, 'identityProviders', t),
      idps: rows.map((idp) => this.idpView(idp, scope, formats, dateTimeFormat(lang), t)),
      // Only platform admins confirm a trust change; the service refuses anyone else.
      confirms: mayConfirmIdentityProviderTrust(actor),
      sp: this.idps.serviceProviderUrls(scope.organisation),
      addHref: `/organisation/identity-providers/new${scope.query}`,
      done: done ? t(done) : null,
    });
  }

  @RequirePermission(Permission.IDP_MANAGE)
  @Get('new')
  async addForm(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const scope = await this.requireManaged(req, query.org);
    const key = single(query.key);
    const existing = key ? (await this.idps.listOfOrganisation(actorOf(req), scope.organisation)).find((idp) => idp.key === key) : undefined;
    this.renderForm(
      req,
      res,
      scope,
      { key: existing?.key ?? '', name: existing?.name ?? '', source: '', metadataUrl: existing?.metadataUrl ?? '' },
      !!existing,
      [],
    );
  }

  /** The configureIdentityProvider mutation, from a metadata address or an uploaded metadata file (multipart). */
  @RequirePermission(Permission.IDP_MANAGE)
  @Post()
  async add(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { t } = pageContext(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const scope = await this.requireManaged(req, body.org);
    const { values, input, errors } = await readIdpForm(req as UploadRequest, scope.organisation.slug, t);
    const replacing = !!values.key && (await this.idps.listOfOrganisation(actorOf(req), scope.organisation)).some((idp) => idp.key === values.key);
    if (errors.length) {
      this.renderForm(req, res, scope, values, replacing, errors, 400);
      return;
    }
    try {
      await this.idps.configure(actorOf(req), {
        organisationSlug: input.organisationSlug,
        key: input.key,
        name: input.name,
        metadataUrl: input.metadataUrl ?? null,
        metadataXml: input.metadataXml ?? null,
      });
    } catch (error) {
      if (error instanceof IdentityError && (error.code === IdentityErrorCode.IDP_METADATA_INVALID || error.code === IdentityErrorCode.INVALID_INPUT)) {
        const field = idpFormField(error.field, values.source);
        const text =
          error.code === IdentityErrorCode.INVALID_INPUT && field === 'key'
            ? t('organisation.idps.errors.key')
            : t(values.source === 'url' ? 'organisation.idps.errors.metadataUrlRefused' : 'organisation.idps.errors.fileRefused', {
                detail: error.message.replace(/^\w+(?: \/ \w+)?: /, ''),
              });
        this.renderForm(req, res, scope, values, replacing, [{ field, text }], 400);
        return;
      }
      throw error;
    }
    res.redirect(303, `/organisation/identity-providers${scope.query}${scope.query ? '&' : '?'}done=added`);
  }

  /** The confirmIdentityProviderTrust mutation: platform admins only, which the service decides. */
  @RequirePermission(Permission.IDP_MANAGE)
  @Post(':id/confirm-trust')
  async confirmTrust(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const input = plainToInstance(ConfirmIdentityProviderTrustInput, { id });
    if ((await validate(input)).length) throw new WebInputError('Not an identity provider id');
    const idp = await this.idps.confirmTrust(actorOf(req), requireGlobalId(input.id, 'IdentityProvider'));
    const scope = await this.scopes.ofId(req, idp.organisationId);
    res.redirect(303, `/organisation/identity-providers${scope.query}${scope.query ? '&' : '?'}done=confirmed`);
  }

  /** The organisation of `?org=`/the form, when the person manages its IdPs (mayManageIdentityProviders); else forbidden. */
  private async requireManaged(req: Request, slug: unknown): Promise<OrganisationScope> {
    const scope = await this.scopes.of(req, slug);
    if (!mayManageIdentityProviders(actorOf(req), scope.organisation.id)) {
      throw new IdentityError(IdentityErrorCode.PERMISSION_DENIED, "Only the organisation's admins and platform admins configure its identity providers.");
    }
    return scope;
  }

  private renderForm(
    req: Request,
    res: Response,
    scope: OrganisationScope,
    values: IdpFormValues,
    replacing: boolean,
    errors: FieldError[],
    status = 200,
  ): void {
    this.views.render(
      res,
      'pages/organisation/identity-provider-form.njk',
      {
        scope,
        values,
        replacing,
        // A platform admin's own configuration is confirmed as it is saved; anyone else's trust change waits.
        confirms: mayConfirmIdentityProviderTrust(actorOf(req)),
        errors: formErrors(errors),
        back: `/organisation/identity-providers${scope.query}`,
        maxMegabytes: UPLOAD_LIMITS.fileBytes / (1024 * 1024),
      },
      status,
    );
  }

  private idpView(idp: IdentityProviderEntity, scope: OrganisationScope, formats: Formats, dateTime: (value: Date | null) => string, t: Translate) {
    const waiting = trustChangeUnconfirmed(idp);
    return {
      id: toGlobalId('IdentityProvider', idp.id),
      key: idp.key,
      name: idp.name,
      enabled: idp.enabled,
      waiting,
      trustChanged: dateTime(idp.trustChangedAt),
      trustConfirmed: dateTime(idp.trustConfirmedAt),
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      sloUrl: idp.sloUrl,
      metadataUrl: idp.metadataUrl,
      federation: idp.federationCertificate !== null,
      refreshed: dateTime(idp.metadataRefreshedAt),
      refreshError: idp.metadataError,
      certificates: idp.certificates.map((certificate) => {
        const facts = certificateFacts(certificate);
        return {
          subject: facts.subject ?? t('organisation.idps.certificate.unreadable'),
          expires: formats.date(facts.validTo),
          expired: facts.expired,
          expiresSoon: facts.expiresSoon,
          fingerprint: facts.fingerprint,
        };
      }),
      replaceHref: `/organisation/identity-providers/new?${scope.query ? `${scope.query.slice(1)}&` : ''}key=${encodeURIComponent(idp.key)}`,
    };
  }
}
