import type { ParsedMail } from 'mailparser';
import { type OrganisationEntity } from '#identity';
import { DigestDeliveryService, type DeliveryOutcome, type DigestPayloadV1 } from '#digests';
import { createMember, createOrganisation } from '../factories/index.js';
import { startHttpPeer, verifiedWebhook, type PeerRequest } from './http-peer.js';
import { startSmtp, type SmtpSink } from './smtp-sink.js';
import { startTestApp, type TestApp } from './test-app.js';
import { unique } from './unique.js';

/** What the digest delivery specs (digest-delivery-*.int-spec.ts) share: a webhook receiver that verifies every call, and row and mail checks. */

/** The APP_SECRET startTestApp configures: the unsubscribe token is signed with it. */
export const APP_SECRET = 'test-secret-of-at-least-32-characters!!';
/** PUBLIC_URL's default when the test app does not set it. */
export const PUBLIC_URL = 'http://localhost:3000';
export const PERIOD = 'daily:2026-11-25';

export const LIST = `query { digestSubscriptions { id pausedAt pauseReason } }`;

// ---------------------------------------------------------------------------------------------------------------
// Peers

export interface ReceivedCall {
  headers: PeerRequest['headers'];
  body: string;
  verified: boolean;
  payload?: DigestPayloadV1;
  answered: number;
}

export interface Receiver {
  url: string;
  /** The subscription's whsec_ secret, set once it is known; every call is verified with it. */
  secret: string;
  /** The status a verified call is answered with. */
  status: number;
  received: ReceivedCall[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const peer = await startHttpPeer({
    respond: (request) => {
      const payload = verifiedWebhook<DigestPayloadV1>(state.secret, request);
      const call: ReceivedCall = { headers: request.headers, body: request.body, verified: payload !== undefined, answered: payload ? state.status : 401 };
      if (payload) call.payload = payload;
      state.received.push(call);
      return { status: call.answered };
    },
  });
  const state: Receiver = { url: peer.url, secret: '', status: 200, received: [], close: () => peer.close() };
  return state;
}

// ---------------------------------------------------------------------------------------------------------------
// Database and API helpers

export async function subscriptionRow(
  t: TestApp,
  id: string,
): Promise<{ paused_at: Date | null; pause_reason: string | null; last_attempted_at: Date | null } | undefined> {
  const rows = await t.dataSource.query(`SELECT paused_at, pause_reason, last_attempted_at FROM digest_subscription WHERE id = $1`, [id]);
  return rows[0];
}

/** Practice titles in a mail's two parts. */
export function expectMailLists(mail: ParsedMail, shown: { title: string; summary: string }[], left: { title: string; summary: string }[] = []): void {
  const text = mail.text ?? '';
  const html = (mail.html || '') as string;
  for (const p of shown) {
    expect(text).toContain(p.title);
    expect(html).toContain(p.title);
  }
  for (const p of left) {
    for (const part of [text, html, mail.subject ?? '']) {
      expect(part).not.toContain(p.title);
      expect(part).not.toContain(p.summary);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

/**
 * Receivers (closed by `closeReceivers`), a scene of author and subscriber, and a delivery of the default period,
 * against the running test app.
 */
export function deliverySteps(app: () => TestApp) {
  const receivers: Receiver[] = [];

  async function receiver(): Promise<Receiver> {
    const started = await startReceiver();
    receivers.push(started);
    return started;
  }

  /** An author in an organisation of their own, a subscriber in another, a topic only this test uses. */
  async function scene(subscriberOrganisation?: OrganisationEntity) {
    const tag = `Topic ${unique()}`;
    const author = await createMember(app().app, await createOrganisation(app().app));
    const subscriber = await createMember(app().app, subscriberOrganisation ?? (await createOrganisation(app().app)));
    return { tag, author, subscriber };
  }

  const deliver = (subscriptionId: string, periodKey = PERIOD): Promise<DeliveryOutcome> =>
    app().app.get(DigestDeliveryService).deliver(subscriptionId, periodKey);

  async function closeReceivers(): Promise<void> {
    for (const r of receivers.splice(0)) await r.close();
  }

  return { receiver, scene, deliver, closeReceivers };
}

/**
 * The set-up every digest delivery spec repeats: an SMTP sink, the test app sending to it (private-network peers
 * allowed), the sink's reply reset before each test and everything closed after. `started` receives the app and the
 * sink once they run; the delivery steps are returned.
 */
export function deliverySuite(started: (running: { t: TestApp; smtp: SmtpSink }) => void) {
  let t: TestApp | undefined;
  let smtp: SmtpSink | undefined;
  const steps = deliverySteps(() => t!);
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
    started({ t, smtp });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await steps.closeReceivers();
  });
  beforeEach(() => {
    smtp!.reply = null;
  });
  return steps;
}
