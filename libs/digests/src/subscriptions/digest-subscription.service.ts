import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '#config';
import { TransactionHost } from '#database';
import { Actor, MemberLifecycle, MemberRepository, commonViewer } from '#identity';
import { normalisePracticeFilter, type PracticeEntity } from '#practices';
import { DigestCompositionRepository } from '../deliveries/digest-composition.repository.js';
import type { DigestDeliveryEntity } from '../deliveries/digest-delivery.entity.js';
import { DigestDeliveryRepository } from '../deliveries/digest-delivery.repository.js';
import { DigestError, DigestErrorCode } from '../digests.errors.js';
import { newWebhookSecret, openSecret, sealSecret } from '../webhooks/webhook-secret.js';
import type { CreateDigestSubscriptionInput, DigestFilterInput } from './dto/digest-subscription.input.js';
import { DigestChannel, DigestFrequency, Weekday, type DigestFilterValues, type DigestSubscriptionEntity } from './digest-subscription.entity.js';
import { DigestSubscriptionRepository } from './digest-subscription.repository.js';
import { feedToken } from './feed-token.js';
import { mayHoldSecrets, subscriberViewer } from './subscriber-viewer.js';

/** The most digest subscriptions one member may hold. */
export const MAX_SUBSCRIPTIONS_PER_MEMBER = 50;

type Settings = Partial<CreateDigestSubscriptionInput>;

const DEACTIVATED = 'member deactivated';

/** The pause reason of a subscription its owner paused (the others come from deliveries and deactivation). */
export const PAUSED_BY_OWNER = 'paused by its owner';

/** The most deliveries one look at a delivery log returns. */
export const MAX_DELIVERY_LOG = 100;

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A member's digest subscriptions: validation, secrets, and what deactivation stops. */
@Injectable()
export class DigestSubscriptionService implements OnModuleInit {
  private readonly logger = new Logger(DigestSubscriptionService.name);

  constructor(
    private readonly subscriptions: DigestSubscriptionRepository,
    private readonly config: AppConfig,
    private readonly lifecycle: MemberLifecycle,
    private readonly tx: TransactionHost,
    private readonly composition: DigestCompositionRepository,
    private readonly deliveryLog: DigestDeliveryRepository,
    private readonly members: MemberRepository,
  ) {}

  onModuleInit(): void {
    // An officer who left gets nothing more, from the moment of deactivation.
    this.lifecycle.onDeactivation((memberId, at) => this.subscriptions.pauseAllOfMember(memberId, at, DEACTIVATED).then(() => undefined));
  }

  list(actor: Actor): Promise<DigestSubscriptionEntity[]> {
    return actor.memberId ? this.subscriptions.listOfMember(actor.memberId) : Promise.resolve([]);
  }

  /** One of the actor's subscriptions; anyone else's is "not found". */
  async require(actor: Actor, id: string): Promise<DigestSubscriptionEntity> {
    const found = actor.memberId ? await this.subscriptions.findOfMember(actor.memberId, id) : null;
    if (!found) throw new DigestError(DigestErrorCode.SUBSCRIPTION_NOT_FOUND, 'You have no digest subscription with this ID.', 'id');
    return found;
  }

  /**
   * A new subscription, composed under the actor's token scopes. At most {@link MAX_SUBSCRIPTIONS_PER_MEMBER} a member:
   * counted under a per-member lock, so concurrent creations cannot pass the limit together.
   */
  async create(actor: Actor, input: CreateDigestSubscriptionInput): Promise<DigestSubscriptionEntity> {
    const values = this.checked(input, null);
    const memberId = actor.memberId!;
    return this.tx.run(async () => {
      await this.subscriptions.lockMemberSubscriptions(memberId);
      if ((await this.subscriptions.countOfMember(memberId)) >= MAX_SUBSCRIPTIONS_PER_MEMBER) {
        throw new DigestError(
          DigestErrorCode.SUBSCRIPTION_LIMIT_REACHED,
          `You already have ${MAX_SUBSCRIPTIONS_PER_MEMBER} digest subscriptions, the most one member may hold. Delete one you no longer need (deleteDigestSubscription), or widen an existing one's filter, then try again.`,
        );
      }
      return this.subscriptions.insert({
        memberId,
        name: input.name,
        filter: normaliseFilter(input.filter),
        frequency: input.frequency,
        channel: input.channel,
        ...values,
        composerScopes: actor.scopes,
        webhookSecretSealed: input.channel === DigestChannel.WEBHOOK ? sealSecret(newWebhookSecret(), this.config.appSecret) : null,
      });
    });
  }

  async update(actor: Actor, id: string, input: Settings): Promise<DigestSubscriptionEntity> {
    return this.tx.run(async () => {
      const current = await this.require(actor, id);
      const channel = input.channel ?? current.channel;
      const merged: Settings = {
        frequency: input.frequency ?? current.frequency,
        channel,
        // The stored address follows only while the subscription stays a webhook; one sent with another channel is refused.
        webhookUrl: input.webhookUrl !== undefined ? input.webhookUrl : channel === DigestChannel.WEBHOOK ? current.webhookUrl : null,
        hour: input.hour ?? current.hour,
        weekday: input.weekday !== undefined ? input.weekday : current.weekday,
        timeZone: input.timeZone ?? current.timeZone,
      };
      const values = this.checked(merged, current);
      const channelChanged = merged.channel !== current.channel;
      // Saving settings resumes a paused subscription (the owner fixed the endpoint), except one paused because its
      // member was deactivated.
      const resume = current.pausedAt && current.pauseReason !== DEACTIVATED ? { pausedAt: null, pauseReason: null } : {};
      return this.subscriptions.update(id, {
        // Whoever saves it last decides what it carries: a token without `read` narrows it to the public's view,
        // a session or a token with `read` widens it again.
        composerScopes: actor.scopes,
        ...resume,
        ...(input.name ? { name: input.name } : {}),
        ...(input.filter ? { filter: normaliseFilter(input.filter) } : {}),
        frequency: merged.frequency,
        channel: merged.channel,
        ...values,
        ...(channelChanged && merged.channel === DigestChannel.WEBHOOK ? { webhookSecretSealed: sealSecret(newWebhookSecret(), this.config.appSecret) } : {}),
        ...(merged.channel !== DigestChannel.WEBHOOK ? { webhookSecretSealed: null } : {}),
      });
    });
  }

  async delete(actor: Actor, id: string): Promise<DigestSubscriptionEntity> {
    return this.tx.run(async () => {
      const current = await this.require(actor, id);
      await this.subscriptions.delete(id);
      return current;
    });
  }

  /** Stops deliveries until its owner resumes it (or saves its settings); pausing a paused one changes nothing. */
  async pause(actor: Actor, id: string, now = new Date()): Promise<DigestSubscriptionEntity> {
    return this.tx.run(async () => {
      const current = await this.require(actor, id);
      if (current.pausedAt) return current;
      return this.subscriptions.update(id, { pausedAt: now, pauseReason: PAUSED_BY_OWNER });
    });
  }

  /**
   * Starts deliveries again, whatever paused it (a failing endpoint the owner has fixed, or the owner), except its
   * member's deactivation. Like saving its settings, it then carries what the caller may read.
   */
  async resume(actor: Actor, id: string): Promise<DigestSubscriptionEntity> {
    return this.tx.run(async () => {
      const current = await this.require(actor, id);
      if (!current.pausedAt) return current;
      if (current.pauseReason === DEACTIVATED)
        throw new DigestError(DigestErrorCode.INVALID_INPUT, 'id: a subscription paused because its member was deactivated stays paused', 'id');
      return this.subscriptions.update(id, { pausedAt: null, pauseReason: null, composerScopes: actor.scopes });
    });
  }

  /**
   * What the subscription's next digest would carry if it were composed now: as its owner may read under the scopes it
   * was saved with, and no more than the caller may read (a token without `read` sees the public's view).
   */
  async preview(actor: Actor, id: string): Promise<PracticeEntity[]> {
    const subscription = await this.require(actor, id);
    const owner = (await this.members.findForSignIn(subscription.memberId))!;
    return this.composition.pendingFor(subscription, commonViewer(subscriberViewer(subscription, owner), actor.viewer));
  }

  /** The subscription's delivery log, newest first: its last `last` deliveries (1 to {@link MAX_DELIVERY_LOG}). */
  async deliveries(actor: Actor, id: string, last: number): Promise<DigestDeliveryEntity[]> {
    if (!Number.isInteger(last) || last < 1 || last > MAX_DELIVERY_LOG) {
      throw new DigestError(DigestErrorCode.INVALID_INPUT, `last must be between 1 and ${MAX_DELIVERY_LOG}.`, 'last');
    }
    const subscription = await this.require(actor, id);
    return this.deliveryLog.listOfSubscription(subscription.id, last);
  }

  /** The newest delivery of each of the actor's subscriptions that has one, by subscription id, in one query. */
  async lastDeliveries(actor: Actor): Promise<Map<string, DigestDeliveryEntity>> {
    const rows = actor.memberId ? await this.deliveryLog.latestOfMember(actor.memberId) : [];
    return new Map(rows.map((row) => [row.subscriptionId, row]));
  }

  /** A new webhook secret (WEBHOOK) or feed address (ATOM); the old one stops working at once. */
  async rotateSecret(actor: Actor, id: string): Promise<DigestSubscriptionEntity> {
    return this.tx.run(async () => {
      const current = await this.require(actor, id);
      // The caller learns the new secret, so the subscription now carries only what the caller may read.
      const composerScopes = actor.scopes;
      if (current.channel === DigestChannel.WEBHOOK)
        return this.subscriptions.update(id, { composerScopes, webhookSecretSealed: sealSecret(newWebhookSecret(), this.config.appSecret) });
      if (current.channel === DigestChannel.ATOM) return this.subscriptions.update(id, { composerScopes, feedTokenVersion: current.feedTokenVersion + 1 });
      throw new DigestError(DigestErrorCode.INVALID_INPUT, 'id: an EMAIL subscription has no secret to rotate', 'id');
    });
  }

  /**
   * The owner's view of the secrets: the webhook secret and the feed address. Null to a caller who may not read what
   * the subscription carries (a token without `read` on a subscription a session saved), since either secret reads it.
   */
  secretsOf(subscription: DigestSubscriptionEntity, caller: Actor): { webhookSecret: string | null; feedUrl: string | null } {
    if (!mayHoldSecrets(caller, subscription)) return { webhookSecret: null, feedUrl: null };
    return {
      webhookSecret: subscription.webhookSecretSealed ? openSecret(subscription.webhookSecretSealed, this.config.appSecret) : null,
      feedUrl:
        subscription.channel === DigestChannel.ATOM
          ? `${this.config.publicUrl}/feeds/subscriptions/${feedToken(subscription.id, subscription.feedTokenVersion, this.config.appSecret)}.atom`
          : null,
    };
  }

  /** Channel and schedule rules; returns the schedule columns to store. */
  private checked(input: Settings, current: DigestSubscriptionEntity | null): Pick<DigestSubscriptionEntity, 'webhookUrl' | 'hour' | 'weekday' | 'timeZone'> {
    const timeZone = input.timeZone ?? current?.timeZone ?? 'Europe/London';
    if (!validTimeZone(timeZone))
      throw new DigestError(DigestErrorCode.INVALID_INPUT, `timeZone: "${timeZone}" is not an IANA time zone such as Europe/London`, 'timeZone');
    if (input.channel === DigestChannel.EMAIL && !this.config.smtpUrl && !this.config.demoMode) {
      throw new DigestError(
        DigestErrorCode.CHANNEL_UNAVAILABLE,
        'channel: e-mail digests need SMTP_URL, which this installation has not set; choose WEBHOOK or ATOM',
        'channel',
      );
    }
    let webhookUrl: string | null = null;
    if (input.channel === DigestChannel.WEBHOOK) {
      if (!input.webhookUrl) throw new DigestError(DigestErrorCode.INVALID_INPUT, 'webhookUrl: a WEBHOOK subscription needs the address to call', 'webhookUrl');
      if (!this.config.outboundAllowPrivateNetworks && !input.webhookUrl.startsWith('https://')) {
        throw new DigestError(DigestErrorCode.INVALID_INPUT, 'webhookUrl: must be an https:// address', 'webhookUrl');
      }
      webhookUrl = input.webhookUrl;
    } else if (input.webhookUrl) {
      throw new DigestError(DigestErrorCode.INVALID_INPUT, 'webhookUrl: only WEBHOOK subscriptions call an address', 'webhookUrl');
    }
    const weekly = input.frequency === DigestFrequency.WEEKLY;
    return { webhookUrl, hour: input.hour ?? current?.hour ?? 7, weekday: weekly ? (input.weekday ?? current?.weekday ?? Weekday.MONDAY) : null, timeZone };
  }
}

/** The filter as stored: normalised as the practice list normalises it, with tags kept under `tags`. */
export function normaliseFilter(filter: DigestFilterInput | undefined): DigestFilterValues {
  const { query, tagSlugs, organisationSlugs, organisationKinds, countries } = normalisePracticeFilter(filter);
  const out: DigestFilterValues = {};
  if (query) out.query = query;
  if (tagSlugs) out.tags = tagSlugs;
  if (organisationSlugs) out.organisationSlugs = organisationSlugs;
  if (organisationKinds) out.organisationKinds = organisationKinds;
  if (countries) out.countries = countries;
  return out;
}
