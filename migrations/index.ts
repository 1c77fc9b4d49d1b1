import { Initial1764086400000 } from './1764086400000-initial.js';
import { SamlFederationAndSessions1795626152766 } from './1795626152766-saml-federation-and-sessions.js';
import { IdentityProviderFederationCertificate1795626989753 } from './1795626989753-identity-provider-federation-certificate.js';
import { DigestSubscriptionsAndDeliveries1795628591836 } from './1795628591836-digest-subscriptions-and-deliveries.js';
import { PracticePublishedIndex1795700000000 } from './1795700000000-practice-published-index.js';
import { DigestSubscriptionComposedThrough1795700100000 } from './1795700100000-digest-subscription-composed-through.js';
import { IdentityProviderTrustConfirmation1796000000000 } from './1796000000000-identity-provider-trust-confirmation.js';
import { PracticeRevisionStatus1796000100000 } from './1796000100000-practice-revision-status.js';
import { TokenLineageAndSubscriptionScopes1796000200000 } from './1796000200000-token-lineage-and-subscription-scopes.js';
import { RateLimit1796000300000 } from './1796000300000-rate-limit.js';
import { ContentUnhide1796001100000 } from './1796001100000-content-unhide.js';
import { MemberInvitationClaimed1796002000000 } from './1796002000000-member-invitation-claimed.js';

/** Applied in this order; add each new migration at the end. Never edit one that has been merged. */
export const MIGRATIONS: (new () => object)[] = [
  Initial1764086400000,
  SamlFederationAndSessions1795626152766,
  IdentityProviderFederationCertificate1795626989753,
  DigestSubscriptionsAndDeliveries1795628591836,
  PracticePublishedIndex1795700000000,
  DigestSubscriptionComposedThrough1795700100000,
  IdentityProviderTrustConfirmation1796000000000,
  PracticeRevisionStatus1796000100000,
  TokenLineageAndSubscriptionScopes1796000200000,
  RateLimit1796000300000,
  ContentUnhide1796001100000,
  MemberInvitationClaimed1796002000000,
];
