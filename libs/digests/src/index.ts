export { DigestError, DigestErrorCode } from './digests.errors.js';
export { DigestsApiModule } from './digests-api.module.js';
export { DigestsModule } from './digests.module.js';
export { DELIVER_BATCH, DigestJobs, type DeliverJob, type PublicationJob } from './jobs/digest-jobs.js';
export {
  DIGEST_QUEUE_SETTINGS,
  DIGEST_QUEUES,
  DIGEST_SCHEDULE_QUEUE,
  digestSendRetry,
  type DigestQueueName,
  type DigestQueueSettings,
} from './jobs/digest-queues.js';
export { DigestDeliveryService, type DeliveryOutcome } from './deliveries/digest-delivery.service.js';
export { DigestDispatchService, type DeliveryRequest } from './deliveries/digest-dispatch.service.js';
export { renderDigestEmail, type DigestEntryView, type DigestEmailInput, type RenderedEmail } from './email/digest-email.js';
export { createMailTransport, MailSendError, type MailTransport, type OutgoingMail } from './email/mail-transport.js';
export { signUnsubscribeToken, verifyUnsubscribeToken } from './email/unsubscribe-token.js';
export {
  buildDigestPayload,
  DIGEST_WEBHOOK_TYPE,
  type DigestPayloadEntryInput,
  type DigestPayloadInput,
  type DigestPayloadV1,
} from './webhooks/webhook-payload.js';
export { newWebhookSecret, openSecret, sealSecret, WEBHOOK_SECRET_PREFIX, WebhookSecretError } from './webhooks/webhook-secret.js';
export {
  nextAttemptDelay,
  sendWebhook,
  WEBHOOK_RETRY_SCHEDULE_MS,
  type SendWebhookInput,
  type SendWebhookOptions,
  type WebhookResult,
} from './webhooks/webhook-sender.js';

export { DigestChannel, DigestFrequency, DigestSubscriptionEntity, Weekday, type DigestFilterValues } from './subscriptions/digest-subscription.entity.js';
export { DigestSubscriptionService, MAX_DELIVERY_LOG, MAX_SUBSCRIPTIONS_PER_MEMBER, PAUSED_BY_OWNER } from './subscriptions/digest-subscription.service.js';
export { CreateDigestSubscriptionInput, DigestFilterInput, UpdateDigestSubscriptionInput } from './subscriptions/dto/digest-subscription.input.js';
export { composesAsPublic } from './subscriptions/subscriber-viewer.js';
export { DeliveryStatus, DigestDeliveryEntity } from './deliveries/digest-delivery.entity.js';
export { DigestEntryEntity } from './deliveries/digest-entry.entity.js';

import { DigestDeliveryEntity as DeliveryTable } from './deliveries/digest-delivery.entity.js';
import { DigestEntryEntity as EntryTable } from './deliveries/digest-entry.entity.js';
import { DigestSubscriptionEntity as SubscriptionTable } from './subscriptions/digest-subscription.entity.js';

/** The tables digests owns. */
export const DIGEST_ENTITIES = [SubscriptionTable, DeliveryTable, EntryTable];
