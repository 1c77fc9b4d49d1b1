/** The event type of a digest webhook body. A change integrators must adapt to gets a new type (`digest.v2`). */
export const DIGEST_WEBHOOK_TYPE = 'digest.v1';

/** One practice as the digest composer hands it over (already filtered by the subscriber's read rule). */
export interface DigestPayloadEntryInput {
  id: string;
  title: string;
  summary: string;
  url: string;
  organisation: { slug: string; name: string };
  tags: string[];
  visibility: string;
  publishedAt: Date;
}

/** What {@link buildDigestPayload} needs: one delivery of one subscription. */
export interface DigestPayloadInput {
  /** The delivery's id; the same on every retry, like the `webhook-id` header. */
  deliveryId: string;
  subscription: { id: string; name: string };
  entries: DigestPayloadEntryInput[];
  /** When the digest was composed; becomes the top-level `timestamp`. */
  generatedAt: Date;
}

/**
 * The `digest.v1` webhook body, as an integrator parses it. Dates are ISO 8601 UTC strings with milliseconds.
 *
 * ```json
 * {
 *   "type": "digest.v1",
 *   "timestamp": "2025-03-04T07:00:02.120Z",
 *   "data": {
 *     "deliveryId": "…",
 *     "subscription": { "id": "…", "name": "Disinformation, weekly" },
 *     "entries": [
 *       {
 *         "id": "…",
 *         "title": "Pre-bunking leaflets before polling day",
 *         "summary": "…",
 *         "url": "https://practice-exchange.example/practices/…",
 *         "organisation": { "slug": "kent", "name": "Kent County Council" },
 *         "tags": ["disinformation", "communications"],
 *         "visibility": "TLP_GREEN",
 *         "publishedAt": "2025-03-03T15:41:09.000Z"
 *       }
 *     ]
 *   }
 * }
 * ```
 *
 * Compatibility promise for `digest.v1`: fields are never removed, renamed or retyped; new fields may be added, so
 * receivers must ignore fields they do not know, and should accept an empty `entries` list. `tags` are normalised
 * slugs; `visibility` is a Traffic Light Protocol level (`TLP_CLEAR`, `TLP_GREEN`, `TLP_AMBER`, `TLP_AMBER_STRICT`),
 * and an entry is only ever sent to a subscriber allowed to read it.
 */
export interface DigestPayloadV1 {
  type: typeof DIGEST_WEBHOOK_TYPE;
  timestamp: string;
  data: {
    deliveryId: string;
    subscription: { id: string; name: string };
    entries: Array<{
      id: string;
      title: string;
      summary: string;
      url: string;
      organisation: { slug: string; name: string };
      tags: string[];
      visibility: string;
      publishedAt: string;
    }>;
  };
}

/**
 * Serialises one digest delivery as the documented `digest.v1` JSON body (see {@link DigestPayloadV1} and
 * docs/webhooks.md). Keys are written in a fixed order and only the listed fields are copied, so the bytes depend on
 * the input alone (the signature covers these exact bytes) and no extra property of a caller's object can leak out.
 * Entries keep the order given.
 * @throws RangeError when a date is invalid.
 */
export function buildDigestPayload(input: DigestPayloadInput): string {
  const body: DigestPayloadV1 = {
    type: DIGEST_WEBHOOK_TYPE,
    timestamp: input.generatedAt.toISOString(),
    data: {
      deliveryId: input.deliveryId,
      subscription: { id: input.subscription.id, name: input.subscription.name },
      entries: input.entries.map((entry) => ({
        id: entry.id,
        title: entry.title,
        summary: entry.summary,
        url: entry.url,
        organisation: { slug: entry.organisation.slug, name: entry.organisation.name },
        tags: [...entry.tags],
        visibility: entry.visibility,
        publishedAt: entry.publishedAt.toISOString(),
      })),
    },
  };
  return JSON.stringify(body);
}
