import { Module } from '@nestjs/common';
import { IdentityGraphqlModule } from '#identity';
import { DigestsModule } from './digests.module.js';

/** What the API serves of digests: resolvers, feeds and unsubscribe links. */
@Module({ imports: [DigestsModule, IdentityGraphqlModule], controllers: [], providers: [] })
export class DigestsApiModule {}
