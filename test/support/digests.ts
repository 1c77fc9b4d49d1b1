import { requireGlobalId } from '#identity';
import type { TestMember } from '../factories/index.js';
import { expectOk, type TestApp } from './test-app.js';
import { unique } from './unique.js';

/** Digest subscriptions made through GraphQL, and the digest_delivery / digest_entry rows behind them. */

const CREATE = `mutation($input: CreateDigestSubscriptionInput!) { createDigestSubscription(input: $input) { id webhookSecret feedUrl } }`;

/** The row id inside a DigestSubscription global ID. */
export const rowId = (gid: string): string => requireGlobalId(gid, 'DigestSubscription');

export interface Subscribed {
  owner: TestMember;
  /** The digest_subscription row id. */
  id: string;
  gid: string;
  webhookSecret: string | null;
  feedUrl: string | null;
}

/** A subscription of `owner`'s, through the API: DAILY by e-mail unless `input` says otherwise. */
export async function subscribe(t: TestApp, owner: TestMember, input: Record<string, unknown>): Promise<Subscribed> {
  const created = expectOk(
    await t.gql(CREATE, { input: { name: `Digest ${unique()}`, frequency: 'DAILY', channel: 'EMAIL', ...input } }, owner.token),
    'createDigestSubscription',
  );
  return { owner, id: rowId(created.id), gid: created.id, webhookSecret: created.webhookSecret, feedUrl: created.feedUrl };
}

export interface DeliveryRow {
  id: string;
  period_key: string;
  status: 'PENDING' | 'SENT' | 'FAILED';
  message_id: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  sent_at: Date | null;
}

export async function deliveryRows(t: TestApp, subscriptionId: string): Promise<DeliveryRow[]> {
  return t.dataSource.query(
    `SELECT id, period_key, status, message_id, attempts, last_error, next_attempt_at, sent_at FROM digest_delivery WHERE subscription_id = $1 ORDER BY created_at, id`,
    [subscriptionId],
  );
}

export async function entryRows(t: TestApp, subscriptionId: string): Promise<{ practice_id: string; delivery_id: string }[]> {
  return t.dataSource.query(`SELECT practice_id, delivery_id FROM digest_entry WHERE subscription_id = $1 ORDER BY created_at, practice_id`, [subscriptionId]);
}
