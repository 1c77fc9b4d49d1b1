import { readsAsMember, viewerCovers, viewerOf, type Actor, type MemberEntity, type Viewer } from '#identity';
import type { DigestSubscriptionEntity } from './digest-subscription.entity.js';

/**
 * Whose read rules a subscription's digests follow, on every channel and in its preview: its member, under the token
 * scopes the subscription was last saved with (`viewerOf`). A subscription saved through a token without `read`
 * composes as the public does, so it cannot carry what that token could not read itself.
 */
export function subscriberViewer(subscription: Pick<DigestSubscriptionEntity, 'composerScopes'>, member: Pick<MemberEntity, 'id' | 'organisationId'>): Viewer {
  return viewerOf(member, subscription.composerScopes);
}

/** Whether the subscription composes as the public (it was last saved through a token without `read`). */
export function composesAsPublic(subscription: Pick<DigestSubscriptionEntity, 'composerScopes'>): boolean {
  return !readsAsMember(subscription.composerScopes);
}

/**
 * Whether `owner` (acting now, possibly through a narrower token) may hold the subscription's secrets: the webhook
 * secret and the feed address read what the subscription carries, so they go only to a caller who may read that too.
 */
export function mayHoldSecrets(owner: Actor, subscription: Pick<DigestSubscriptionEntity, 'composerScopes' | 'memberId'>): boolean {
  if (!owner.memberId || !owner.organisationId || owner.memberId !== subscription.memberId) return false;
  return viewerCovers(owner.viewer, subscriberViewer(subscription, { id: owner.memberId, organisationId: owner.organisationId }));
}
