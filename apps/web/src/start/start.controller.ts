import { Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { AppConfig } from '#config';
import { IdentityLoaders, IdentityProviderService, Public, safeReturnTo } from '#identity';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { formErrors, single, validationErrors, type FieldError } from '../forms/form-errors.js';
import { allowFormTargets } from '../middleware/web-security.js';
import { actorOf, loaderContext, pageContext } from '../page-context.js';
import { WebViews } from '../rendering/web-views.js';
import { SIGN_IN_MESSAGES, SignInForm } from './sign-in.form.js';

/** A sign-in address of ours as a path (the IdP service builds absolute ones from PUBLIC_URL). */
function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** The start page: sign in with a work e-mail address, or, signed in, where to go next. */
@Controller()
@UseFilters(WebExceptionFilter)
export class StartController {
  constructor(
    private readonly views: WebViews,
    private readonly idps: IdentityProviderService,
    private readonly identity: IdentityLoaders,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  async start(@Req() req: Request, @Res() res: Response, @Query('returnTo') returnTo?: unknown): Promise<void> {
    const actor = actorOf(req);
    if (actor.signedIn) {
      const loaders = this.identity.for(loaderContext(req));
      const [member, organisation] = await Promise.all([loaders.member.load(actor.memberId!), loaders.organisation.load(actor.organisationId!)]);
      this.views.render(res, 'pages/start/signed-in.njk', { member, organisation });
      return;
    }
    this.renderSignIn(res, { email: '', returnTo: safeReturnTo(single(returnTo)) }, []);
  }

  /** The organisation of the address's domain: its IdP, or the choice of its IdPs. */
  @Public()
  @Post('sign-in')
  async signIn(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { email: single(body.email), returnTo: safeReturnTo(single(body.returnTo)) };
    const { t } = pageContext(res);
    const form = plainToInstance(SignInForm, { email: values.email });
    const invalid = await validate(form);
    if (invalid.length) {
      const empty = values.email === '';
      this.renderSignIn(res, values, empty ? [{ field: 'email', text: t('signIn.errors.emailMissing') }] : validationErrors(invalid, SIGN_IN_MESSAGES, t), 400);
      return;
    }
    const found = await this.idps.discover(values.email.split('@').pop()!);
    if (!found) {
      this.renderSignIn(res, values, [{ field: 'email', text: t('signIn.errors.unknownDomain') }], 400);
      return;
    }
    if (found.idps.length === 0) {
      this.renderSignIn(res, values, [{ field: 'email', text: t('signIn.errors.noIdentityProvider', { organisation: found.organisation.name }) }], 400);
      return;
    }
    const withReturn = (url: string) => {
      const path = pathOf(url);
      return values.returnTo === '/' ? path : `${path}${path.includes('?') ? '&' : '?'}returnTo=${encodeURIComponent(values.returnTo)}`;
    };
    if (found.idps.length === 1) {
      res.redirect(303, withReturn(found.loginUrl(found.idps[0]!)));
      return;
    }
    this.views.render(res, 'pages/start/choose-idp.njk', {
      organisation: found.organisation,
      choices: found.idps.map((idp) => ({ name: idp.name, href: withReturn(found.loginUrl(idp)) })),
    });
  }

  private renderSignIn(res: Response, values: { email: string; returnTo: string }, errors: FieldError[], status = 200): void {
    // The form's answer redirects to the organisation's IdP, wherever it is; the browser checks form-action on that
    // redirect too. Which IdP is known only once the address is typed, so this page allows any https origin (and
    // http where IdPs may be on private networks: tests, closed networks, demo mode).
    allowFormTargets(res, ['https:', this.config.outboundAllowPrivateNetworks || this.config.demoMode ? 'http:' : null]);
    this.views.render(res, 'pages/start/sign-in.njk', { values, errors: formErrors(errors) }, status);
  }
}
