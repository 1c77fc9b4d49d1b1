import { Injectable, Logger } from '@nestjs/common';
import { SAML } from '@node-saml/node-saml';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import { SessionRepository } from '../sessions/session.repository.js';
import { SessionService } from '../sessions/session.service.js';
import { IdentityProviderRepository } from './identity-provider.repository.js';
import { MemberIdentityRepository } from './member-identity.repository.js';
import { SamlStrategy } from './saml-strategy.js';

/** What signing out did, and where the browser continues. */
export interface SignOutResult {
  ended: boolean;
  /** The IdP's single logout URL (with our LogoutRequest) when its IdP supports it; null: back to the platform. */
  redirect: string | null;
}

/**
 * Signing out from a page: ends the session a cookie names and, where the session's IdP supports single logout,
 * gives the LogoutRequest URL to continue to (the IdP answers at /auth/saml/:org/slo). The same steps as
 * POST /auth/logout, for the web pages' sign-out form.
 */
@Injectable()
export class SingleLogoutService {
  private readonly logger = new Logger(SingleLogoutService.name);

  constructor(
    private readonly sessions: SessionService,
    private readonly sessionRows: SessionRepository,
    private readonly idps: IdentityProviderRepository,
    private readonly organisations: OrganisationRepository,
    private readonly identities: MemberIdentityRepository,
    private readonly strategy: SamlStrategy,
  ) {}

  async signOut(cookie: string): Promise<SignOutResult> {
    const session = await this.sessions.end(cookie);
    if (!session) return { ended: false, redirect: null };
    this.logger.log({ msg: 'signed out', sessionId: session.id });
    const idp = session.identityProviderId ? await this.idps.findById(session.identityProviderId) : null;
    if (!idp?.sloUrl || !session.nameId) return { ended: true, redirect: null };
    const organisation = (await this.organisations.findByIds([idp.organisationId]))[0]!;
    const saml = new SAML(this.strategy.samlOptions(organisation, idp) as ConstructorParameters<typeof SAML>[0]);
    // SAML core 3.7.1: the NameID exactly as the assertion gave it, Format included.
    const identity = await this.identities.find(idp.id, session.nameId);
    const redirect = await saml.getLogoutUrlAsync(
      {
        issuer: idp.entityId,
        nameID: session.nameId,
        nameIDFormat: identity?.nameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
        sessionIndex: session.sessionIndex ?? undefined,
      },
      '',
      {},
    );
    return { ended: true, redirect };
  }

  /** The origin signing out of this session continues to (its IdP's single logout service), or null. */
  async logoutOrigin(sessionId: string | undefined): Promise<string | null> {
    const found = sessionId ? await this.sessionRows.findWithMember(sessionId) : null;
    const idp = found?.session.identityProviderId ? await this.idps.findById(found.session.identityProviderId) : null;
    if (!idp?.sloUrl || !found?.session.nameId) return null;
    try {
      return new URL(idp.sloUrl).origin;
    } catch {
      return null;
    }
  }
}
