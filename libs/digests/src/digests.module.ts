import { Module } from '@nestjs/common';
import { IdentityModule } from '#identity';
import { PracticesModule } from '#practices';

const providers: never[] = [];

/** Digest subscriptions, composition and delivery: services and repositories, no HTTP or GraphQL (the worker imports this one). */
@Module({ imports: [IdentityModule, PracticesModule], providers, exports: providers })
export class DigestsModule {}
