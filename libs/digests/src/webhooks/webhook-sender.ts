import { outboundRequest, OutboundRequestError, type OutboundResponse } from '#config';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_SECRET_PREFIX } from './webhook-secret.js';

/**
 * Delays between webhook attempts, after the Standard Webhooks example schedule: the first attempt immediately,
 * then 5 s, 5 min, 30 min, 2 h, 5 h and 10 h after each failure (seven attempts over about 17.5 hours). Index `n`
 * is the wait before attempt `n + 1`. After the last one the endpoint is paused, as the specification recommends
 * for an endpoint that keeps failing.
 */
export const WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = Object.freeze([0, 5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000]);

/**
 * How long to wait before the next attempt, given how many attempts have been made so far (`0` before the first,
 * `1` after the first failed, …). `null` means the schedule is used up: give the delivery up and pause the endpoint.
 * @throws RangeError for a negative or fractional count.
 */
export function nextAttemptDelay(attempt: number): number | null {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a whole number of attempts made so far (got ${attempt})`);
  return attempt < WEBHOOK_RETRY_SCHEDULE_MS.length ? WEBHOOK_RETRY_SCHEDULE_MS[attempt]! : null;
}

/**
 * The outcome of one webhook attempt. Failures never throw: the caller records `reason` (it names the host, never
 * the path, query, body or secret) and decides from `retryable` and `pauseEndpoint`.
 */
export type WebhookResult =
  | { ok: true; status: number }
  | {
      ok: false;
      /** Worth another attempt on the schedule: 408, 409, 425, 429, 5xx, timeouts and connection failures. */
      retryable: boolean;
      /** The HTTP status, when the receiver answered. */
      status?: number;
      reason: string;
      /**
       * The endpoint itself is unusable, so the subscription should be paused now rather than after the schedule:
       * 410 Gone (the receiver asks for no more, as the specification says), or a URL the outbound rules refuse.
       */
      pauseEndpoint?: boolean;
      /** The receiver's `Retry-After`, in ms from now, on a retryable answer; the caller waits at least this long. */
      retryAfterMs?: number;
    };

/** One attempt of one delivery. */
export interface SendWebhookInput {
  /** The subscription's webhook URL; checked by the outbound helper when it connects. */
  url: string;
  /** The `whsec_…` secret, already opened; it is never logged or put in a reason. */
  secret: string;
  /** The `webhook-id`: the delivery's id, the SAME on every retry, so receivers can drop duplicates. */
  messageId: string;
  /** The exact body bytes to sign and send (from `buildDigestPayload`). */
  payload: string;
  /** Signing time; defaults to now. Receivers refuse timestamps more than 5 minutes off, so pass real time. */
  now?: Date;
}

/** How the attempt may reach the network. */
export interface SendWebhookOptions {
  /** `AppConfig.outboundAllowPrivateNetworks`. */
  allowPrivateNetworks: boolean;
  /** Budget for the whole attempt; default 10 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
// Receivers only need to answer with a status; a small bound stops a hostile one from making us buffer megabytes.
const MAX_RESPONSE_BYTES = 64 * 1024;
// Retrying these can succeed later: request timeout, conflict, too early, rate limited.
const RETRYABLE_CLIENT_STATUSES = new Set([408, 409, 425, 429]);
// Header values are sent as given: anything outside this set could split headers or confuse receivers' stores.
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * Makes one signed attempt to deliver a webhook, following the Standard Webhooks specification: headers
 * `webhook-id` (= `messageId`), `webhook-timestamp` (Unix seconds of `now`) and `webhook-signature`
 * (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, from the `standardwebhooks` package). Each call signs afresh, so
 * a retry carries a current timestamp that passes the receiver's replay window while keeping the same id.
 *
 * The request goes through the platform's outbound helper: no redirect followed, https and public addresses only
 * unless `allowPrivateNetworks`, response bounded to 64 KiB, 10 s by default.
 *
 * Outcome: 2xx is success; 3xx, 410 and other 4xx fail for good (410 also asks to pause the endpoint); 408, 409,
 * 425, 429, 5xx, timeouts and connection failures are retryable; URLs the outbound rules refuse fail for good and
 * ask to pause.
 * @throws TypeError for a malformed `messageId` or secret (a bug or corrupt row, not a delivery failure).
 */
export async function sendWebhook(input: SendWebhookInput, options: SendWebhookOptions): Promise<WebhookResult> {
  if (!MESSAGE_ID.test(input.messageId)) throw new TypeError('webhook messageId must be 1–255 characters of A–Z, a–z, 0–9, _ and -');
  const signer = webhookSigner(input.secret);
  const now = input.now ?? new Date();
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'PracticeExchange-Webhooks/1',
    'webhook-id': input.messageId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signer.sign(input.messageId, now, input.payload),
  };

  let response: OutboundResponse;
  try {
    response = await outboundRequest(input.url, {
      method: 'POST',
      headers,
      body: input.payload,
      maxBytes: MAX_RESPONSE_BYTES,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      allowPrivateNetworks: options.allowPrivateNetworks,
    });
  } catch (error) {
    if (!(error instanceof OutboundRequestError)) throw error;
    return fromOutboundError(error);
  }
  return fromStatus(response, new URL(input.url).host.slice(0, 300), now);
}

function webhookSigner(secret: string): Webhook {
  // The library also takes bare base64; we always issue `whsec_`, so anything else is a corrupt value.
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new TypeError('webhook secret must be a whsec_ secret');
  try {
    return new Webhook(secret);
  } catch {
    // The library's message is dropped in case a future version quotes the value.
    throw new TypeError('webhook secret is not valid base64 after whsec_');
  }
}

// A subscription's pause reason keeps 500 characters; a long host name in a message must not overflow it.
const MAX_REASON = 500;
const clip = (text: string): string => (text.length <= MAX_REASON ? text : `${text.slice(0, MAX_REASON - 1)}…`);

function fromOutboundError(error: OutboundRequestError): WebhookResult {
  const reason = clip(error.message);
  switch (error.code) {
    case 'TIMEOUT':
    case 'CONNECTION_FAILED':
      return { ok: false, retryable: true, reason };
    case 'REDIRECT_REFUSED':
      // The receiver answered, but with somewhere else to go: the owner must configure the final URL.
      return { ok: false, retryable: false, reason };
    case 'TOO_LARGE':
      // The receiver answered with more than a webhook response needs; repeating would get the same answer.
      return { ok: false, retryable: false, reason: clip(`${error.message}; answer webhooks with a 2xx status and a short body`) };
    case 'INVALID_URL':
    case 'HTTPS_REQUIRED':
    case 'ADDRESS_NOT_ALLOWED':
      // The outbound rules refuse the URL itself: every attempt would be refused the same way.
      return { ok: false, retryable: false, pauseEndpoint: true, reason };
  }
}

function fromStatus(response: OutboundResponse, host: string, now: Date): WebhookResult {
  const { status } = response;
  if (status >= 200 && status < 300) return { ok: true, status };
  if (status === 410) {
    return { ok: false, retryable: false, status, pauseEndpoint: true, reason: `Webhook receiver ${host} answered 410 Gone: it asks for no more webhooks` };
  }
  const retryable = status >= 500 || RETRYABLE_CLIENT_STATUSES.has(status);
  if (!retryable) {
    return { ok: false, retryable, status, reason: `Webhook receiver ${host} answered ${status}; this is not retried, check the URL and the receiver` };
  }
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], now);
  return {
    ok: false,
    retryable,
    status,
    reason: `Webhook receiver ${host} answered ${status}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`; undefined when unreadable. */
function parseRetryAfter(header: string | string[] | undefined, now: Date): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
