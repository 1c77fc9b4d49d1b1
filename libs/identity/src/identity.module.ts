import { Module } from '@nestjs/common';
import { ApiTokenRepository } from './api-tokens/api-token.repository.js';
import { ApiTokenService } from './api-tokens/api-token.service.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditService } from './audit/audit.service.js';
import { MemberLifecycle } from './members/member-lifecycle.js';
import { MemberRepository } from './members/member.repository.js';
import { MemberService } from './members/member.service.js';
import { OrganisationRepository } from './organisations/organisation.repository.js';
import { OrganisationService } from './organisations/organisation.service.js';
import { IdentityProviderRepository } from './federation/identity-provider.repository.js';
import { IdentityProviderService } from './federation/identity-provider.service.js';
import { MemberIdentityRepository } from './federation/member-identity.repository.js';
import { SamlStateRepository } from './federation/saml-state.repository.js';
import { RateLimits } from './rate-limits/rate-limits.js';
import { SessionRepository } from './sessions/session.repository.js';
import { SessionService } from './sessions/session.service.js';

const providers = [
  OrganisationRepository,
  OrganisationService,
  MemberRepository,
  MemberService,
  MemberLifecycle,
  ApiTokenRepository,
  ApiTokenService,
  AuditRepository,
  AuditService,
  SessionRepository,
  SessionService,
  IdentityProviderRepository,
  IdentityProviderService,
  MemberIdentityRepository,
  SamlStateRepository,
  RateLimits,
];

/** Organisations, members, tokens and the audit log: services and repositories, no GraphQL. */
@Module({ providers, exports: providers })
export class IdentityModule {}
