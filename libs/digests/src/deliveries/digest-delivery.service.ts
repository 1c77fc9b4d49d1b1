import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, digestDeliveries, digestDeliveryFailures } from '#config';
import { TransactionHost } from '#database';
import { groupBy, OrganisationRepository, toGlobalId, type MemberEntity } from '#identity';
import { PracticeRepository, PracticeStatus, TagRepository, type PracticeEntity } from '#practices';
import { renderDigestEmail } from '../email/digest-email.js';
import { MailSendError, createMailTransport, type MailTransport } from '../email/mail-transport.js';
import { signUnsubscribeToken } from '../email/unsubscribe-token.js';
import { DigestChannel, type DigestSubscriptionEntity } from '../subscriptions/digest-subscription.entity.js';
import { DigestSubscriptionRepository } from '../subscriptions/digest-subscription.repository.js';
import { subscriberViewer } from '../subscriptions/subscriber-viewer.js';
import { buildDigestPayload } from '../webhooks/webhook-payload.js';
import { openSecret } from '../webhooks/webhook-secret.js';
import { nextAttemptDelay, sendWebhook } from '../webhooks/webhook-sender.js';
import { DigestCompositionRepository } from './digest-composition.repository.js';
import { DeliveryStatus, type DigestDeliveryEntity } from './digest-delivery.entity.js';
import { DigestDeliveryRepository } from './digest-delivery.repository.js';
import type { DeliveryRequest } from './digest-dispatch.service.js';

export type DeliveryOutcome = 'sent' | 'already-sent' | 'nothing-new' | 'skipped' | { retryAfterMs: number } | 'failed';

/** When to look again at a delivery that another run is sending. */
export const SEND_LOCK_BUSY_RETRY_MS = 60_000;

/** Waits between e-mail attempts after a temporary SMTP failure. */
const MAIL_RETRY_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];

/** A delivery claimed and its entries recorded, before anything is sent. */
interface Claimed {
  subscription: DigestSubscriptionEntity;
  member: MemberEntity;
  delivery: DigestDeliveryEntity;
  atom: boolean;
  practiceIds: string[];
  /** It was sent (or failed for good) before this run. */
  done: boolean;
}

/** The outcome when nothing is left to send; undefined when the claimed delivery still has to go out. */
function earlyOutcome(claimed: Claimed | null): DeliveryOutcome | undefined {
  if (!claimed) return 'skipped';
  if (claimed.done) return 'already-sent';
  if (!claimed.practiceIds.length) return 'nothing-new';
  if (claimed.atom) return 'sent';
  return undefined;
}

/**
 * Sends one subscription's digest for one period, exactly once as a receiver sees it: the delivery and its entries
 * are claimed and committed before anything is sent; a retry (after a crash between sending and recording) finds the
 * same delivery and sends again with the same Message-ID or webhook-id, which the receiver drops.
 */
@Injectable()
export class DigestDeliveryService {
  private readonly logger = new Logger(DigestDeliveryService.name);
  private mail?: MailTransport;

  constructor(
    private readonly deliveries: DigestDeliveryRepository,
    private readonly composition: DigestCompositionRepository,
    private readonly subscriptions: DigestSubscriptionRepository,
    private readonly practices: PracticeRepository,
    private readonly organisations: OrganisationRepository,
    private readonly tags: TagRepository,
    private readonly config: AppConfig,
    private readonly tx: TransactionHost,
  ) {}

  async deliver(subscriptionId: string, periodKey: string, now = new Date()): Promise<DeliveryOutcome> {
    const claimed = await this.tx.run(async () => {
      const [subscription] = await this.subscriptions.findManyWithMember([subscriptionId]);
      return subscription ? this.claimAndCompose(subscription, periodKey, now) : null;
    });
    const early = earlyOutcome(claimed);
    // An Atom digest is delivered once its entries are committed.
    if (early === 'sent') digestDeliveries.inc({ channel: DigestChannel.ATOM });
    if (early || !claimed) return early ?? 'skipped';
    const release = await this.deliveries.trySendLock(claimed.delivery.id);
    // Another run holds it: sending now, or hung past its job's expiry (then this run is the only retry left), so
    // look again later rather than end here.
    if (!release) return { retryAfterMs: SEND_LOCK_BUSY_RETRY_MS };
    try {
      // It may have been sent while we waited for the lock.
      const current = await this.deliveries.findById(claimed.delivery.id);
      if (!current || current.status !== 'PENDING') return 'already-sent';
      return await this.sendClaimed(claimed.subscription, claimed.member, current, claimed.practiceIds, now);
    } finally {
      await release();
    }
  }

  /**
   * Several digests of one run (the scheduler's). The Atom ones, which send nothing, are claimed and composed in one
   * transaction, so they share one commit; the others go one by one through {@link deliver}. Outcomes in request order.
   */
  async deliverMany(requests: readonly DeliveryRequest[], now = new Date()): Promise<DeliveryOutcome[]> {
    const loaded = new Map((await this.subscriptions.findManyWithMember(requests.map((r) => r.subscriptionId))).map((s) => [s.id, s]));
    const outcomes: (DeliveryOutcome | undefined)[] = requests.map(() => undefined);
    await this.tx.run(async () => {
      for (const [i, request] of requests.entries()) {
        const subscription = loaded.get(request.subscriptionId);
        if (subscription?.channel !== DigestChannel.ATOM) continue;
        outcomes[i] = earlyOutcome(await this.claimAndCompose(subscription, request.periodKey, now));
      }
    });
    digestDeliveries.inc({ channel: DigestChannel.ATOM }, outcomes.filter((o) => o === 'sent').length);
    for (const [i, request] of requests.entries()) outcomes[i] ??= await this.deliver(request.subscriptionId, request.periodKey, now);
    return outcomes as DeliveryOutcome[];
  }

  /**
   * Inside a transaction: claims the (subscription, period) delivery and records its entries, composed now when the
   * delivery is new. Null when the subscription is paused or its member has left.
   */
  private async claimAndCompose(subscription: DigestSubscriptionEntity, periodKey: string, now: Date): Promise<Claimed | null> {
    const member = subscription.member;
    if (!member || subscription.pausedAt || member.deactivatedAt) return null;
    // An Atom reader fetches the feed itself: recording the entries is the whole delivery, so it is sent once claimed.
    const atom = subscription.channel === DigestChannel.ATOM;
    const { delivery, created } = await this.deliveries.claim(subscription.id, periodKey, `msg_${randomUUID().replace(/-/g, '')}`, atom ? now : undefined);
    if (!created && delivery.status !== DeliveryStatus.PENDING) return { subscription, member, delivery, atom, practiceIds: [], done: true };
    const practiceIds = created
      ? await this.composition.recordPending(subscription, subscriberViewer(subscription, member), delivery.id)
      : await this.deliveries.entryPracticeIds(delivery.id);
    if (!practiceIds.length) await this.deliveries.remove(delivery.id);
    else if (atom && !created) await this.deliveries.markSent(delivery.id, now);
    return { subscription, member, delivery, atom, practiceIds, done: false };
  }

  private async sendClaimed(
    subscription: DigestSubscriptionEntity,
    member: MemberEntity,
    delivery: DigestDeliveryEntity,
    practiceIds: string[],
    now: Date,
  ): Promise<DeliveryOutcome> {
    const claimed = { subscription, member, delivery, practiceIds };
    // The read rule again at send time: a practice hidden or archived since it was claimed is left out.
    const viewer = subscriberViewer(claimed.subscription, claimed.member);
    const visible = (await this.practices.findVisibleByIds(viewer, claimed.practiceIds)).filter((p) => p.status === PracticeStatus.PUBLISHED);
    if (!visible.length) {
      await this.deliveries.markSent(claimed.delivery.id, now);
      return 'sent';
    }
    return this.send(claimed.subscription, claimed.member, claimed.delivery, visible, now);
  }

  private async send(
    subscription: DigestSubscriptionEntity,
    member: MemberEntity,
    delivery: DigestDeliveryEntity,
    practices: PracticeEntity[],
    now: Date,
  ): Promise<DeliveryOutcome> {
    const entries = await this.entryViews(practices);
    if (subscription.channel === DigestChannel.WEBHOOK) {
      const result = await sendWebhook(
        {
          url: subscription.webhookUrl!,
          secret: openSecret(subscription.webhookSecretSealed!, this.config.appSecret),
          messageId: delivery.messageId,
          payload: buildDigestPayload({
            deliveryId: delivery.id,
            subscription: { id: toGlobalId('DigestSubscription', subscription.id), name: subscription.name },
            entries: entries.map((e) => ({
              id: e.id,
              title: e.title,
              summary: e.summary,
              url: e.url,
              organisation: e.organisation,
              tags: e.tags.map((t) => t.slug),
              visibility: e.visibility,
              publishedAt: e.publishedAt,
            })),
            generatedAt: now,
          }),
          now,
        },
        { allowPrivateNetworks: this.config.outboundAllowPrivateNetworks },
      );
      if (result.ok) return this.sent(subscription, delivery, now);
      const delay = result.retryable ? nextAttemptDelay(delivery.attempts + 1) : null;
      return this.failed(subscription, delivery, result.reason, delay === null ? null : Math.max(delay, result.retryAfterMs ?? 0), now);
    }
    try {
      this.mail ??= createMailTransport(this.config);
      const unsubscribeUrl = `${this.config.publicUrl}/unsubscribe/${signUnsubscribeToken(subscription.id, this.config.appSecret)}`;
      const email = renderDigestEmail({
        recipientName: member.name,
        subscriptionName: subscription.name,
        entries: entries.map((e) => ({
          title: e.title,
          summary: e.summary,
          organisationName: e.organisation.name,
          tags: e.tags,
          url: e.url,
          visibility: e.visibility,
          publishedAt: e.publishedAt,
        })),
        unsubscribeUrl,
        manageUrl: `${this.config.publicUrl}/`,
        platformUrl: `${this.config.publicUrl}/`,
      });
      await this.mail.send({
        to: member.email,
        ...email,
        messageId: `<${delivery.messageId}@${new URL(this.config.publicUrl).hostname}>`,
        headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
      return this.sent(subscription, delivery, now);
    } catch (error) {
      const temporary = !(error instanceof MailSendError) || error.temporary;
      const delay = temporary ? (MAIL_RETRY_MS[delivery.attempts] ?? null) : null;
      return this.failed(subscription, delivery, error instanceof Error ? error.message : String(error), delay, now);
    }
  }

  private async sent(subscription: DigestSubscriptionEntity, delivery: DigestDeliveryEntity, now: Date): Promise<DeliveryOutcome> {
    await this.deliveries.markSent(delivery.id, now);
    digestDeliveries.inc({ channel: subscription.channel });
    this.logger.log({ msg: 'digest sent', deliveryId: delivery.id, subscriptionId: delivery.subscriptionId });
    return 'sent';
  }

  /** A retry later, or (no more attempts, or a permanent refusal) the delivery failed and the subscription pauses. */
  private async failed(
    subscription: DigestSubscriptionEntity,
    delivery: DigestDeliveryEntity,
    reason: string,
    retryInMs: number | null,
    now: Date,
  ): Promise<DeliveryOutcome> {
    const final = retryInMs === null;
    await this.tx.run(async () => {
      await this.deliveries.markAttemptFailed(delivery.id, reason, final ? null : new Date(now.getTime() + retryInMs), final);
      if (final) await this.subscriptions.update(subscription.id, { pausedAt: now, pauseReason: `delivery failed: ${reason}`.slice(0, 500) });
    });
    digestDeliveryFailures.inc({ channel: subscription.channel, outcome: final ? 'gave_up' : 'retry' });
    this.logger.warn({ msg: final ? 'digest delivery failed; subscription paused' : 'digest delivery will be retried', deliveryId: delivery.id, retryInMs });
    return final ? 'failed' : { retryAfterMs: retryInMs };
  }

  private async entryViews(practices: PracticeEntity[]) {
    const organisations = new Map((await this.organisations.findByIds([...new Set(practices.map((p) => p.organisationId))])).map((o) => [o.id, o]));
    const tags = groupBy(await this.tags.ofPractices(practices.map((p) => p.id)), (t) => t.practiceId);
    return practices.map((p) => ({
      id: toGlobalId('Practice', p.id),
      title: p.title,
      summary: p.summary,
      url: `${this.config.publicUrl}/practices/${toGlobalId('Practice', p.id)}`,
      organisation: { slug: organisations.get(p.organisationId)?.slug ?? '', name: organisations.get(p.organisationId)?.name ?? '' },
      tags: (tags.get(p.id) ?? []).map((t) => ({ slug: t.tag.slug, label: t.tag.label })),
      visibility: p.visibility,
      publishedAt: p.publishedAt ?? p.createdAt,
    }));
  }
}
