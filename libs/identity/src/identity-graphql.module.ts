import { Module, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '#config';
import { mayManageIdentityProviders } from './access/identity-access.js';
import { IdentityProviderRepository } from './federation/identity-provider.repository.js';
import { toIdentityProvider } from './federation/identity-provider.object.js';
import { IdentityProviderResolver } from './federation/identity-provider.resolver.js';
import { SamlSignInService } from './federation/saml-sign-in.service.js';
import { SamlStrategy } from './federation/saml-strategy.js';
import { SamlController } from './federation/saml.controller.js';
import { SingleLogoutService } from './federation/single-logout.service.js';
import { SpKeys, loadSpKeys } from './federation/sp-keys.js';
import { ApiTokenRepository } from './api-tokens/api-token.repository.js';
import { toApiToken } from './api-tokens/api-token.object.js';
import { ApiTokenResolver } from './api-tokens/api-token.resolver.js';
import { toAuditEvent } from './audit/audit-event.object.js';
import { accessRuleOf } from './auth/auth.decorators.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { AuditService } from './audit/audit.service.js';
import { IdentityLoaders } from './graphql/identity.loaders.js';
import { NodeRegistry } from './graphql/node.registry.js';
import { NodeResolver } from './graphql/node.resolver.js';
import { IdentityModule } from './identity.module.js';
import { toMember } from './members/member.object.js';
import { MemberResolver } from './members/member.resolver.js';
import { toOrganisation } from './organisations/organisation.object.js';
import { OrganisationResolver } from './organisations/organisation.resolver.js';
import { SessionRepository } from './sessions/session.repository.js';
import { toSession } from './sessions/session.object.js';
import { SessionResolver } from './sessions/session.resolver.js';

/**
 * What the API serves of identity: resolvers and loaders, the `node(id:)` registry every library registers its
 * types in, and the SAML endpoints.
 */
@Module({
  imports: [IdentityModule],
  controllers: [SamlController],
  providers: [
    { provide: SpKeys, inject: [AppConfig], useFactory: loadSpKeys },
    SamlStrategy,
    SamlSignInService,
    SingleLogoutService,
    IdentityProviderResolver,
    NodeRegistry,
    IdentityLoaders,
    NodeResolver,
    OrganisationResolver,
    MemberResolver,
    ApiTokenResolver,
    AuditResolver,
    SessionResolver,
  ],
  exports: [NodeRegistry, IdentityLoaders, SingleLogoutService],
})
export class IdentityGraphqlModule implements OnModuleInit {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly loaders: IdentityLoaders,
    private readonly tokens: ApiTokenRepository,
    private readonly audit: AuditService,
    private readonly sessions: SessionRepository,
    private readonly idps: IdentityProviderRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(
      'Organisation',
      async (id, context) => {
        const row = await this.loaders.for(context).organisation.load(id);
        return row ? toOrganisation(row) : null;
      },
      accessRuleOf(OrganisationResolver, 'organisation'),
    );
    this.registry.register(
      'Member',
      async (id, context) => {
        const row = await this.loaders.for(context).member.load(id);
        return row ? toMember(row, context.actor) : null;
      },
      accessRuleOf(MemberResolver, 'me'),
    );
    this.registry.register(
      'ApiToken',
      async (id, context) => {
        const row = context.actor.memberId ? await this.tokens.findOfMember(context.actor.memberId, id) : null;
        return row ? toApiToken(row) : null;
      },
      accessRuleOf(ApiTokenResolver, 'apiTokens'),
    );
    this.registry.register(
      'Session',
      async (id, context) => {
        const row = context.actor.memberId ? await this.sessions.findOfMember(context.actor.memberId, id) : null;
        return row ? toSession(row) : null;
      },
      accessRuleOf(SessionResolver, 'revokeSession'),
    );
    this.registry.register(
      'IdentityProvider',
      async (id, context) => {
        const row = await this.idps.findById(id);
        return row && mayManageIdentityProviders(context.actor, row.organisationId) ? toIdentityProvider(row) : null;
      },
      accessRuleOf(IdentityProviderResolver, 'configureIdentityProvider'),
    );
    this.registry.register(
      'AuditEvent',
      async (id, context) => {
        const row = await this.audit.findVisible(context.actor, id);
        return row ? toAuditEvent(row) : null;
      },
      accessRuleOf(AuditResolver, 'auditEvents'),
    );
  }
}
