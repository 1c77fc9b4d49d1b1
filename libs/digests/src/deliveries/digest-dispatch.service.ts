import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import { MemberRepository } from '#identity';
import { currentPeriod, isDueIn, type DigestPeriod } from '../scheduling/digest-schedule.js';
import { DigestChannel, DigestFrequency, type DigestSubscriptionEntity } from '../subscriptions/digest-subscription.entity.js';
import { DigestSubscriptionRepository } from '../subscriptions/digest-subscription.repository.js';
import { subscriberViewer } from '../subscriptions/subscriber-viewer.js';
import { DigestCompositionRepository } from './digest-composition.repository.js';

export interface DeliveryRequest {
  subscriptionId: string;
  periodKey: string;
  /** The subscription's channel when asked: Atom digests, which send nothing, travel in batches. */
  channel: DigestChannel;
}

/**
 * The first step of the fan-out: which subscriptions get a digest now, and for which period. The second step, one
 * delivery job per subscription, is {@link DigestDeliveryService.deliver}.
 */
@Injectable()
export class DigestDispatchService {
  constructor(
    private readonly subscriptions: DigestSubscriptionRepository,
    private readonly composition: DigestCompositionRepository,
    private readonly members: MemberRepository,
    private readonly tx: TransactionHost,
  ) {}

  /**
   * A practice published DIGEST_IMMEDIATE_DELAY_SECONDS ago: the IMMEDIATE subscriptions with something pending get a
   * digest, keyed by the publication so a retried job claims the same deliveries. Everything else published since
   * rides along, which is the batching.
   */
  async forPublication(practiceId: string): Promise<DeliveryRequest[]> {
    const requests: DeliveryRequest[] = [];
    for (const subscription of await this.subscriptions.listActive(DigestFrequency.IMMEDIATE)) {
      const member = await this.members.findForSignIn(subscription.memberId);
      if (!member || member.deactivatedAt) continue;
      if (await this.composition.hasPending(subscription, subscriberViewer(subscription, member)))
        requests.push({ subscriptionId: subscription.id, periodKey: `immediate:${practiceId}`, channel: subscription.channel });
    }
    return requests;
  }

  /**
   * DAILY and WEEKLY subscriptions whose period has begun since their last attempt, oldest attempt first and at most
   * `cap` a run; the watermark moves in the same transaction, so two schedulers do not pick the same one twice.
   */
  async dueScheduled(now: Date, cap: number): Promise<DeliveryRequest[]> {
    return this.tx.run(async () => {
      const due: DeliveryRequest[] = [];
      // Working out a period in a time zone costs a few Intl calls: once per distinct schedule, not per subscription.
      const periods = new Map<string, DigestPeriod | null>();
      const periodOf = (subscription: DigestSubscriptionEntity): DigestPeriod | null => {
        const key = `${subscription.frequency}|${subscription.hour}|${subscription.weekday}|${subscription.timeZone}`;
        if (!periods.has(key)) periods.set(key, currentPeriod(subscription, now));
        return periods.get(key)!;
      };
      // Pages on until `cap` due ones are found: those not due keep their old watermark and would otherwise fill
      // every page (a week's worth of WEEKLY subscriptions ahead of the DAILY ones).
      let after: { lastAttemptedAt: Date | null; id: string } | undefined;
      while (due.length < cap) {
        const page = await this.subscriptions.lockScheduledByWatermark(cap, after);
        const dueOfPage: DeliveryRequest[] = [];
        for (const subscription of page) {
          const period = periodOf(subscription);
          if (!period || !isDueIn(period, subscription.lastAttemptedAt, now)) continue;
          dueOfPage.push({ subscriptionId: subscription.id, periodKey: period.key, channel: subscription.channel });
          if (due.length + dueOfPage.length >= cap) break;
        }
        await this.subscriptions.markAttempted(
          dueOfPage.map((r) => r.subscriptionId),
          now,
        );
        due.push(...dueOfPage);
        if (page.length < cap) break;
        const last = page[page.length - 1]!;
        after = { lastAttemptedAt: last.lastAttemptedAt, id: last.id };
      }
      return due;
    });
  }
}
