import { createHash, randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '#config';
import { MultiSamlStrategy, type SamlConfig } from '@node-saml/passport-saml';
import type { CacheProvider, Profile } from '@node-saml/node-saml';
import type { Element } from '@xmldom/xmldom';
import type { Request, Response } from 'express';
import passport from 'passport';
import { cookieValue } from '../auth/authentication.middleware.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import type { IdentityProviderEntity } from './identity-provider.entity.js';
import { IdentityProviderRepository } from './identity-provider.repository.js';
import { redirectSignature, signedByOneOf } from './redirect-binding.js';
import { SamlRefusal, peekResponse } from './saml-response-checks.js';
import { SAMLP_NS, decodePostMessage, inflateRedirectMessage, issuerOf, parseSamlXml } from './saml-xml.js';
import { SessionService } from '../sessions/session.service.js';
import { SamlStateRepository } from './saml-state.repository.js';
import { isSlugShaped, safeReturnTo, spUrls } from './saml-urls.js';
import { SpKeys } from './sp-keys.js';

export const STATE_COOKIE = 'pe_saml_state';
const REQUEST_LIFETIME_MS = 10 * 60_000;

/** What the strategy found out about a request, for the controller. */
export interface SamlContext {
  organisation: OrganisationEntity;
  /** Unset while the IdP is not known yet (a refusal then names only the organisation). */
  idp?: IdentityProviderEntity;
  returnTo?: string;
}

type SamlRequest = Request & { samlContext?: SamlContext; samlState?: string };

/** Carries our own failure (not the message's) through passport, so it is not mistaken for a refused message. */
class SamlOptionsError extends Error {
  constructor(override readonly cause: unknown) {
    super('choosing the SAML options failed');
  }
}

/** What a person reads when node-saml refuses a message, by what its (internal) error message is about. */
const NOT_ACCEPTED: [RegExp, string][] = [
  [/InResponseTo/i, 'This response does not answer a sign-in started here (or it took too long). Start again from the sign-in page.'],
  [/SAML provider returned|status code|NoPassive/i, 'Your identity provider did not sign you in. Try again, or ask its administrator.'],
  [/audience/i, "The response was meant for another service. Ask your identity provider's administrator to check this service's entity ID."],
  [
    /not yet valid|expired|clock/i,
    "The response has expired or is not valid yet. Start again from the sign-in page; if it keeps happening, the identity provider's clock may be wrong.",
  ],
  [
    /signature|signed|digest|transforms/i,
    "The message's signature does not match the certificates registered for this identity provider. Ask your organisation's admin to check its settings.",
  ],
  [/issuer/i, 'The message names another issuer than this identity provider.'],
];
const NOT_ACCEPTED_OTHERWISE =
  "The message was not accepted. Start again from the sign-in page; if it keeps happening, give your organisation's admin the reference below.";

function bindingOf(state: string): Buffer {
  return createHash('sha256').update(state).digest();
}

/**
 * Registers passport-saml's MultiSamlStrategy with `passport.use` (not the @nestjs/passport mixin, which would bind
 * its `validate` as the logout callback). Options are chosen per request: the organisation from the URL, the IdP
 * from the query (login), from the stored request the response answers (ACS), or from the message's issuer among
 * the organisation's IdPs (single logout); node-saml then validates against that IdP's certificates only.
 */
@Injectable()
export class SamlStrategy implements OnModuleInit {
  private readonly logger = new Logger(SamlStrategy.name);

  constructor(
    private readonly config: AppConfig,
    private readonly organisations: OrganisationRepository,
    private readonly idps: IdentityProviderRepository,
    private readonly state: SamlStateRepository,
    private readonly sessions: SessionService,
    private readonly keys: SpKeys,
  ) {}

  onModuleInit(): void {
    // passport-saml is typed against Express 4's Request; the objects are the same at run time.
    const strategy = new MultiSamlStrategy(
      {
        passReqToCallback: true,
        getSamlOptions: (req, done) => {
          this.optionsFor(req as unknown as SamlRequest).then(
            (options) => done(null, options),
            (error: unknown) => done(error instanceof SamlRefusal ? error : new SamlOptionsError(error)),
          );
        },
      },
      (_req, profile, done) => done(null, profile as unknown as Record<string, unknown>),
      (req, profile, done) => {
        // Answering with the request's own user makes passport-saml reply Success to the IdP.
        const context = (req as unknown as SamlRequest).samlContext;
        (req as unknown as { user?: unknown }).user = profile;
        (req as unknown as { logout: (cb: (e?: unknown) => void) => void }).logout = (cb) => cb();
        if (!profile || !context?.idp) return done(null, profile as unknown as Record<string, unknown>);
        this.sessions.revokeByIdentity(context.idp.id, profile.nameID, profile.sessionIndex ?? null).then(
          () => done(null, profile as unknown as Record<string, unknown>),
          (error: unknown) => done(error as Error),
        );
      },
    );
    passport.use('saml', strategy as unknown as passport.Strategy);
  }

  /** Runs the strategy and resolves with the validated profile (ACS, SLO) or once it has redirected (login). */
  run(req: Request, res: Response): Promise<Profile | null> {
    return new Promise((resolve, reject) => {
      // A login (or a logout answer) ends in a redirect passport writes itself.
      res.once('finish', () => resolve(null));
      passport.authenticate('saml', { session: false }, (error: unknown, user: unknown, info: unknown) => {
        if (error instanceof SamlRefusal) reject(error);
        // Our own failure while choosing the options (the database, say): a 500, the detail only in the log.
        else if (error instanceof SamlOptionsError) reject(error.cause);
        else if (error) reject(this.refusalOf(error));
        else if (!user) reject(this.refusalOf(typeof info === 'object' && info && 'message' in info ? info.message : info));
        else resolve(user as Profile);
      })(req, res, (error?: unknown) => (error ? reject(error) : resolve(null)));
    });
  }

  /**
   * What node-saml or passport rejected a message with, as a refusal a person can read: their messages name
   * library internals (or parts of the message), so they go to the log and the page says one of a fixed set.
   */
  private refusalOf(error: unknown): SamlRefusal {
    const detail = error instanceof Error ? error.message : String(error ?? '');
    this.logger.warn({ msg: 'SAML message not accepted', detail: detail.slice(0, 300) });
    return new SamlRefusal('INVALID', (NOT_ACCEPTED.find(([pattern]) => pattern.test(detail)) ?? [null, NOT_ACCEPTED_OTHERWISE])[1]);
  }

  /** A new browser-binding value for the login; the controller sets it as the state cookie. */
  newState(): string {
    return randomBytes(32).toString('base64url');
  }

  private async optionsFor(req: SamlRequest): Promise<SamlConfig> {
    const slug = String(req.params.org ?? '');
    const organisation = isSlugShaped(slug) ? await this.organisations.findBySlug(slug) : null;
    if (!organisation) throw new SamlRefusal('UNKNOWN_ORGANISATION', `No organisation has the slug "${slug}".`);
    // Known from here on, so a refusal is audited for this organisation's admins to see.
    req.samlContext = { organisation };
    const body = (req.body ?? {}) as Record<string, unknown>;
    let idp: IdentityProviderEntity | null;
    if (typeof body.SAMLResponse === 'string' && req.path.endsWith('/acs')) {
      idp = await this.idpOfResponse(req, organisation, body.SAMLResponse);
    } else if (req.path.endsWith('/slo')) {
      idp = await this.idpOfLogoutMessage(organisation, req);
    } else {
      idp = await this.idpForLogin(organisation, req.query.idp);
      req.samlContext = { organisation, idp, returnTo: safeReturnTo(req.query.returnTo) };
    }
    req.samlContext = { ...req.samlContext, organisation, idp };
    return this.samlOptions(organisation, idp, this.cacheFor(req, idp));
  }

  private async idpForLogin(organisation: OrganisationEntity, key: unknown): Promise<IdentityProviderEntity> {
    const enabled = await this.idps.listEnabledOfOrganisation(organisation.id);
    const idp = typeof key === 'string' && key ? enabled.find((i) => i.key === key) : enabled.length === 1 ? enabled[0] : undefined;
    if (!idp) {
      throw new SamlRefusal(
        'UNKNOWN_IDP',
        enabled.length
          ? `Choose the identity provider with ?idp= (${enabled.map((i) => i.key).join(', ')}).`
          : `${organisation.name} has no identity provider configured yet.`,
      );
    }
    return idp;
  }

  /** The IdP of the request this response answers, in the browser that started it: the only one it may come from. */
  private async idpOfResponse(req: SamlRequest, organisation: OrganisationEntity, samlResponse: string): Promise<IdentityProviderEntity> {
    const { inResponseTo } = peekResponse(samlResponse);
    // Our request IDs are short printable ASCII; anything else answers no request of ours (and never reaches SQL).
    const request = inResponseTo && /^[\x21-\x7e]{1,128}$/.test(inResponseTo) ? await this.state.findLiveRequest(inResponseTo, new Date()) : null;
    if (!request)
      throw new SamlRefusal(
        'UNKNOWN_REQUEST',
        'This response does not answer a sign-in started here (or it took too long). Start again from the sign-in page.',
      );
    const idp = await this.idps.findById(request.identityProviderId);
    if (!idp || idp.organisationId !== organisation.id) {
      throw new SamlRefusal('WRONG_ORGANISATION', "This response was posted to another organisation's sign-in address than the one it was started for.");
    }
    const state = cookieValue(req, STATE_COOKIE);
    if (!state || !bindingOf(state).equals(request.browserBinding)) {
      throw new SamlRefusal('WRONG_BROWSER', 'This sign-in was started in another browser (or its cookie was lost). Start again from the sign-in page.');
    }
    req.samlContext = { organisation, idp, returnTo: request.returnTo };
    return idp;
  }

  /**
   * The IdP a logout message comes from, found without trusting anything unsigned. HTTP-Redirect: the query-string
   * signature is checked first, against each enabled IdP of the organisation (the one whose certificate verifies
   * it is the sender), and only then is the message inflated (bounded) and parsed. HTTP-POST: the message is parsed
   * (bounded) to read its Issuer, which only selects the certificates node-saml then checks the signature with.
   */
  private async idpOfLogoutMessage(organisation: OrganisationEntity, req: SamlRequest): Promise<IdentityProviderEntity> {
    const enabled = await this.idps.listEnabledOfOrganisation(organisation.id);
    let candidates: IdentityProviderEntity[];
    let root: Element;
    if (req.method === 'GET') {
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
      const signature = redirectSignature(query, 'SAMLRequest');
      candidates = enabled.filter((idp) => signedByOneOf(signature, idp.certificates));
      if (!candidates.length) throw new SamlRefusal('INVALID_SIGNATURE', 'The logout message is not signed by an identity provider of this organisation.');
      const message = req.query.SAMLRequest;
      if (typeof message !== 'string') throw new SamlRefusal('MALFORMED', 'No SAML logout message.');
      root = parseSamlXml(inflateRedirectMessage(message));
    } else {
      const message = (req.body as Record<string, unknown> | undefined)?.SAMLRequest;
      if (typeof message !== 'string') throw new SamlRefusal('MALFORMED', 'No SAML logout message.');
      candidates = enabled;
      root = parseSamlXml(decodePostMessage(message));
    }
    if (root.namespaceURI !== SAMLP_NS || root.localName !== 'LogoutRequest') throw new SamlRefusal('MALFORMED', 'The message is not a SAML LogoutRequest.');
    const issuer = issuerOf(root);
    const idp = candidates.find((i) => i.entityId === issuer);
    if (!idp) throw new SamlRefusal('UNKNOWN_IDP', 'The logout message comes from an identity provider this organisation does not use.');
    return idp;
  }

  private cacheFor(req: SamlRequest, idp: IdentityProviderEntity): CacheProvider {
    return {
      saveAsync: async (key, value) => {
        await this.state.saveRequest({
          id: key,
          identityProviderId: idp.id,
          returnTo: req.samlContext?.returnTo ?? '/',
          browserBinding: bindingOf(req.samlState ?? ''),
          expiresAt: new Date(Date.now() + REQUEST_LIFETIME_MS),
        });
        return { createdAt: Date.now(), value };
      },
      getAsync: async (key) => {
        const request = await this.state.findLiveRequest(key, new Date());
        return request && request.identityProviderId === idp.id ? request.createdAt.toISOString() : null;
      },
      removeAsync: async (key) => ((await this.state.consumeRequest(key ?? '')) ? key : null),
    };
  }

  /** node-saml options for one IdP, with what its defaults leave open set strictly. */
  samlOptions(organisation: OrganisationEntity, idp: IdentityProviderEntity, cacheProvider?: CacheProvider): SamlConfig {
    const urls = spUrls(this.config, organisation.slug);
    return {
      entryPoint: idp.ssoUrl,
      logoutUrl: idp.sloUrl ?? idp.ssoUrl,
      issuer: urls.entityId,
      audience: urls.entityId,
      callbackUrl: urls.acs,
      logoutCallbackUrl: urls.slo,
      idpCert: idp.certificates,
      idpIssuer: idp.entityId,
      wantAuthnResponseSigned: idp.wantAuthnResponseSigned,
      wantAssertionsSigned: idp.wantAssertionsSigned,
      validateInResponseTo: 'always' as SamlConfig['validateInResponseTo'],
      requestIdExpirationPeriodMs: REQUEST_LIFETIME_MS,
      cacheProvider,
      acceptedClockSkewMs: this.config.samlClockSkewSeconds * 1000,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
      privateKey: this.keys.privateKey,
      decryptionPvk: this.keys.privateKey,
      identifierFormat: null,
      disableRequestedAuthnContext: true,
    };
  }
}
