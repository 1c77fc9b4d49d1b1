import { Module } from '@nestjs/common';
import { IdentityModule } from '#identity';
import { PracticesModule } from '#practices';
import { DigestCompositionRepository } from './deliveries/digest-composition.repository.js';
import { DigestDeliveryRepository } from './deliveries/digest-delivery.repository.js';
import { DigestDeliveryService } from './deliveries/digest-delivery.service.js';
import { DigestDispatchService } from './deliveries/digest-dispatch.service.js';
import { DigestJobs } from './jobs/digest-jobs.js';
import { DigestSubscriptionRepository } from './subscriptions/digest-subscription.repository.js';
import { DigestSubscriptionService } from './subscriptions/digest-subscription.service.js';

const providers = [
  DigestSubscriptionRepository,
  DigestSubscriptionService,
  DigestCompositionRepository,
  DigestDeliveryRepository,
  DigestDeliveryService,
  DigestDispatchService,
  DigestJobs,
];

/** Digest subscriptions, composition and delivery: services and repositories, no HTTP or GraphQL (the worker imports this one). */
@Module({ imports: [IdentityModule, PracticesModule], providers, exports: providers })
export class DigestsModule {}
