import { Controller, Get, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { AppConfig, cspNonce, requestIdOf, samlSignInRefusals, samlSignIns } from '#config';
import { SAML } from '@node-saml/node-saml';
import type { Request, Response } from 'express';
import { AuditAction } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { Public } from '../auth/auth.decorators.js';
import { cookieValue } from '../auth/authentication.middleware.js';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import { RateLimit, RateLimits } from '../rate-limits/rate-limits.js';
import { SESSION_COOKIE, SessionService } from '../sessions/session.service.js';
import { IdentityProviderRepository } from './identity-provider.repository.js';
import { MemberIdentityRepository } from './member-identity.repository.js';
import { page } from './saml-page.js';
import { SamlRefusal } from './saml-response-checks.js';
import { SamlSignInService } from './saml-sign-in.service.js';
import { STATE_COOKIE, SamlStrategy, type SamlContext } from './saml-strategy.js';
import { isSlugShaped, spUrls } from './saml-urls.js';
import { SpKeys } from './sp-keys.js';

type SamlRequest = Request & { samlContext?: SamlContext; samlState?: string };

/** The browser side of SAML: login, the assertion consumer, SP metadata, single logout, logout. */
@Controller()
export class SamlController {
  private readonly logger = new Logger(SamlController.name);

  constructor(
    private readonly strategy: SamlStrategy,
    private readonly signIn: SamlSignInService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly organisations: OrganisationRepository,
    private readonly idps: IdentityProviderRepository,
    private readonly identities: MemberIdentityRepository,
    private readonly keys: SpKeys,
    private readonly config: AppConfig,
    private readonly rateLimits: RateLimits,
  ) {}

  /** Redirects to the IdP; the request ID, its IdP, returnTo and this browser are kept in PostgreSQL. */
  @Public()
  @Get('auth/saml/:org/login')
  async login(@Param('org') org: string, @Req() req: SamlRequest, @Res() res: Response): Promise<void> {
    req.samlState = this.strategy.newState();
    // The IdP's POST back is cross-site, so only a SameSite=None cookie binds it to this browser.
    res.cookie(STATE_COOKIE, req.samlState, {
      httpOnly: true,
      secure: true,
      sameSite: 'none',
      path: `/auth/saml/${encodeURIComponent(org)}`,
      maxAge: 10 * 60_000,
    });
    try {
      await this.strategy.run(req, res);
    } catch (error) {
      await this.refuse(res, req, error);
    }
  }

  @Public()
  @Post('auth/saml/:org/acs')
  async acs(@Param('org') org: string, @Req() req: SamlRequest, @Res() res: Response): Promise<void> {
    try {
      const profile = await this.strategy.run(req, res);
      const context = req.samlContext;
      if (!profile || !context?.idp) throw new SamlRefusal('INVALID', 'The response was not accepted.');
      const { cookie } = await this.signIn.complete(context.organisation, context.idp, profile, spUrls(this.config, org).acs, req.header('user-agent') ?? null);
      res.clearCookie(STATE_COOKIE, { path: `/auth/saml/${encodeURIComponent(org)}`, secure: true, sameSite: 'none' });
      res.cookie(SESSION_COOKIE, cookie, this.sessions.cookieOptions());
      samlSignIns.inc();
      res.redirect(303, context.returnTo ?? '/');
    } catch (error) {
      await this.refuse(res, req, error);
    }
  }

  /** SP metadata with the signing and encryption certificates (and the next one during a rollover). */
  @Public()
  @Get('auth/saml/:org/metadata')
  async metadata(@Param('org') org: string, @Res() res: Response): Promise<void> {
    const organisation = isSlugShaped(org) ? await this.organisations.findBySlug(org) : null;
    if (!organisation) {
      res.status(404).type('text/plain').send(`No organisation has the slug "${org}".`);
      return;
    }
    const urls = spUrls(this.config, org);
    // The IdP certificate is not part of SP metadata; node-saml only insists that one is configured.
    // node-saml publishes the KeyDescriptors only when it holds the keys; the IdP certificate is not part of SP metadata.
    const saml = new SAML({
      issuer: urls.entityId,
      callbackUrl: urls.acs,
      logoutCallbackUrl: urls.slo,
      idpCert: this.keys.certificates[0]!,
      privateKey: this.keys.privateKey,
      decryptionPvk: this.keys.privateKey,
      wantAssertionsSigned: true,
      identifierFormat: null,
    });
    const xml = saml.generateServiceProviderMetadata(this.keys.certificates[0]!, this.keys.certificates);
    res.type('application/samlmetadata+xml').send(xml);
  }

  /** Single logout from the IdP (LogoutRequest) or its answer to ours (LogoutResponse). */
  @Public()
  @Get('auth/saml/:org/slo')
  async sloGet(@Req() req: SamlRequest, @Res() res: Response): Promise<void> {
    await this.slo(req, res);
  }

  @Public()
  @Post('auth/saml/:org/slo')
  async sloPost(@Req() req: SamlRequest, @Res() res: Response): Promise<void> {
    await this.slo(req, res);
  }

  private async slo(req: SamlRequest, res: Response): Promise<void> {
    // The IdP's answer to our LogoutRequest: the session already ended at /auth/logout, and the answer grants nothing.
    if (typeof req.body?.SAMLResponse === 'string' || typeof req.query.SAMLResponse === 'string') {
      res.redirect(303, '/');
      return;
    }
    try {
      await this.strategy.run(req, res);
      if (!res.headersSent) res.redirect(303, '/');
    } catch (error) {
      await this.refuse(res, req, error);
    }
  }

  /** Ends this browser's session; where its IdP supports single logout, says where to continue. */
  @Public()
  @Post('auth/logout')
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    const cookie = cookieValue(req, SESSION_COOKIE);
    const session = cookie ? await this.sessions.end(cookie) : null;
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: this.config.secureCookies });
    let redirect: string | null = null;
    const idp = session?.identityProviderId ? await this.idps.findById(session.identityProviderId) : null;
    if (session && idp?.sloUrl && session.nameId) {
      const organisation = (await this.organisations.findByIds([idp.organisationId]))[0]!;
      const saml = new SAML(this.strategy.samlOptions(organisation, idp) as ConstructorParameters<typeof SAML>[0]);
      // SAML core 3.7.1: the NameID exactly as the assertion gave it, Format included.
      const identity = await this.identities.find(idp.id, session.nameId);
      redirect = await saml.getLogoutUrlAsync(
        {
          issuer: idp.entityId,
          nameID: session.nameId,
          nameIDFormat: identity?.nameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
          sessionIndex: session.sessionIndex ?? undefined,
        },
        '',
        {},
      );
    }
    res.status(200).json({ loggedOut: session !== null, redirect });
  }

  private async refuse(res: Response, req: SamlRequest, error: unknown): Promise<void> {
    const refusal = error instanceof SamlRefusal ? error : null;
    const reason = refusal?.reason ?? 'ERROR';
    const context = req.samlContext;
    // Reasons are our own codes; anything else shaped oddly is one label, so the series stay few.
    samlSignInRefusals.inc({ reason: /^[A-Z_]{1,40}$/.test(reason) ? reason : 'OTHER' });
    if (!refusal) this.logger.error({ msg: 'SAML step failed', error: error instanceof Error ? error.message : String(error) });
    else this.logger.warn({ msg: 'sign-in refused', reason, identityProviderId: context?.idp?.id });
    // A flood of refused posts must not flood the audit log: past the bound they are only logged.
    const overBound = await this.rateLimits.consume(RateLimit.REFUSED_SIGN_IN_AUDIT, context?.organisation.id ?? 'unknown');
    if (overBound?.firstInWindow)
      this.logger.warn({
        msg: 'refused sign-ins past the audit bound are logged only',
        organisationId: context?.organisation.id,
        perMinute: overBound.perMinute,
      });
    if (!overBound)
      await this.audit
        .record({
          action: AuditAction.SIGN_IN_REFUSED,
          actorMemberId: null,
          organisationId: context?.organisation.id ?? null,
          subjectType: context?.idp ? 'IdentityProvider' : undefined,
          subjectId: context?.idp?.id,
          details: { reason, path: req.path },
        })
        .catch(() => undefined);
    const requestId = requestIdOf(req);
    const message = refusal?.message ?? 'Something went wrong on our side. Please try again later.';
    if (!res.headersSent) {
      res
        .status(refusal ? 400 : 500)
        .type('html')
        .send(page('Sign-in did not work', [message, `Reference: ${reason}${requestId ? ` / ${requestId}` : ''}`], cspNonce(res)));
    }
  }
}
