export { ApiTokenEntity } from './api-tokens/api-token.entity.js';
export { ApiTokenService, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from './api-tokens/api-token.service.js';
export { tokenIdOf } from './api-tokens/token-format.js';
export { CreateApiTokenInput } from './api-tokens/dto/create-api-token.input.js';
export { AuditAction, AuditEventEntity } from './audit/audit-event.entity.js';
export { AuditService } from './audit/audit.service.js';
export {
  OPERATOR,
  type Operator,
  mayConfirmIdentityProviderTrust,
  mayGrantPlatformRoles,
  mayManageIdentityProviders,
  mayManageMember,
} from './access/identity-access.js';
export { AccessGuard } from './auth/access.guard.js';
export { Actor, PUBLIC_VIEWER, commonViewer, readsAsMember, viewerCovers, viewerOf, type Viewer } from './auth/actor.js';
export {
  ACCESS_RULE,
  CurrentActor,
  NoPermissionRequired,
  Public,
  RequirePermission,
  accessAllows,
  accessRuleOf,
  type AccessRule,
} from './auth/auth.decorators.js';
export { AuthenticationMiddleware, type AuthenticatedRequest } from './auth/authentication.middleware.js';
export { IDP_ASSIGNABLE_ROLES, PLATFORM_GRANTED_ROLES, Permission, Role, TokenScope, permissionsOf, rolesAfterIdpAssertion } from './auth/permissions.js';
export {
  ConnectionArgs,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  Connection,
  PageInfo,
  CREATED_AT_ID,
  cursorKeyAfter,
  decodeCursor,
  encodeCursor,
  toPage,
  type CursorField,
  type CursorKey,
  type Page,
} from './graphql/connection.js';
export { parseGlobalId, requireGlobalId, toGlobalId } from './graphql/global-id.js';
export { IdentityLoaders } from './graphql/identity.loaders.js';
export { byIds, groupBy, groupsByIds } from './graphql/rows-by-key.js';
export { Node } from './graphql/node.interface.js';
export { NodeRegistry } from './graphql/node.registry.js';
export { loadersOf, type RequestContext } from './graphql/request-context.js';
export { IdentityGraphqlModule } from './identity-graphql.module.js';
export { IdentityError, IdentityErrorCode } from './identity.errors.js';
export { IdentityModule } from './identity.module.js';
export { MemberLifecycle } from './members/member-lifecycle.js';
export { MemberEntity } from './members/member.entity.js';
export { Member, toMember } from './members/member.object.js';
export { MemberRepository } from './members/member.repository.js';
export { MemberService } from './members/member.service.js';
export { DeactivateMemberInput, SetMemberRolesInput } from './members/dto/set-member-roles.input.js';
export { SESSION_COOKIE, SessionService, type SessionOrigin } from './sessions/session.service.js';
export { RateLimitMiddleware } from './rate-limits/rate-limit.middleware.js';
export { RateLimit, RateLimits, type RateLimitRefusal } from './rate-limits/rate-limits.js';
export { RateLimitEntity } from './rate-limits/rate-limit.entity.js';
export { SessionEntity } from './sessions/session.entity.js';
export { cookieValue } from './auth/authentication.middleware.js';
export { parseIdpMetadata, parseIdpMetadataEntities, type IdpMetadata } from './federation/metadata/idp-metadata.js';
export { verifyMetadataAggregate } from './federation/metadata/metadata-aggregate.js';
export { MetadataError, MetadataErrorCode } from './federation/metadata/metadata.errors.js';
export { certificateFacts, type CertificateFacts } from './federation/certificate-facts.js';
export { IdentityProviderEntity, trustChangeUnconfirmed, type AttributeMapping } from './federation/identity-provider.entity.js';
export { ConfigureIdentityProviderInput } from './federation/dto/configure-identity-provider.input.js';
export { ConfirmIdentityProviderTrustInput } from './federation/dto/confirm-identity-provider-trust.input.js';
export { IdentityProviderRepository } from './federation/identity-provider.repository.js';
export { IdentityProviderService, type IdentityProviderSettings, type MetadataRefresh } from './federation/identity-provider.service.js';
export { SamlStateRepository } from './federation/saml-state.repository.js';
export { SingleLogoutService, type SignOutResult } from './federation/single-logout.service.js';
export { safeReturnTo, spUrls } from './federation/saml-urls.js';
export { isSlug, SLUG_PATTERN } from './organisations/slug.js';
export { MemberIdentityRepository } from './federation/member-identity.repository.js';
export { NAMEID_FORMAT } from './federation/attribute-mapping.js';
export { SAMLP_NS, SAML_MESSAGE_MAX_BYTES, SamlRefusal, inflateRedirectMessage, issuerOf, parseSamlXml } from './federation/saml-xml.js';
export { OrganisationDomainEntity } from './organisations/organisation-domain.entity.js';
export { OrganisationEntity, OrganisationKind } from './organisations/organisation.entity.js';
export { Organisation, toOrganisation } from './organisations/organisation.object.js';
export { OrganisationRepository } from './organisations/organisation.repository.js';
export { OrganisationService, normaliseDomain } from './organisations/organisation.service.js';
export { UpsertOrganisationInput } from './organisations/dto/upsert-organisation.input.js';

import { ApiTokenEntity as ApiTokenTable } from './api-tokens/api-token.entity.js';
import { IdentityProviderEntity as IdpTable } from './federation/identity-provider.entity.js';
import { MemberIdentityEntity as MemberIdentityTable } from './federation/member-identity.entity.js';
import { SamlAssertionEntity as AssertionTable } from './federation/saml-assertion.entity.js';
import { SamlRequestEntity as RequestTable } from './federation/saml-request.entity.js';
import { SessionEntity as SessionTable } from './sessions/session.entity.js';
import { AuditEventEntity as AuditTable } from './audit/audit-event.entity.js';
import { MemberEntity as MemberTable } from './members/member.entity.js';
import { OrganisationDomainEntity as DomainTable } from './organisations/organisation-domain.entity.js';
import { OrganisationEntity as OrganisationTable } from './organisations/organisation.entity.js';
import { RateLimitEntity as RateLimitTable } from './rate-limits/rate-limit.entity.js';

/** The tables identity owns. */
export const IDENTITY_ENTITIES = [
  OrganisationTable,
  DomainTable,
  MemberTable,
  ApiTokenTable,
  AuditTable,
  IdpTable,
  MemberIdentityTable,
  RequestTable,
  AssertionTable,
  SessionTable,
  RateLimitTable,
];
