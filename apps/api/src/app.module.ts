import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule, requestLogContextModule } from '#config';
import { DatabaseModule } from '#database';
import {
  AccessGuard,
  Actor,
  AuthenticationMiddleware,
  IdentityGraphqlModule,
  IdentityModule,
  RateLimitMiddleware,
  type AuthenticatedRequest,
  type RequestContext,
} from '#identity';
import { PracticesGraphqlModule, PracticesModule } from '#practices';
import { DigestsApiModule } from '#digests';
import type { DataSource } from 'typeorm';
import { ApiExceptionFilter, mapFieldResolverError } from './graphql/graphql-exception.filter.js';
import { graphqlMetricsPlugin } from './graphql/graphql-metrics.plugin.js';
import { queryLimitsPlugin } from './graphql/query-limits.plugin.js';
import { noStorePlugins } from './graphql/no-store.plugin.js';
import { PublicResponseCache, PublicResponseCacheMiddleware, publicResponseCachePlugin } from './graphql/public-response-cache.js';
import { createValidationPipe } from './graphql/validation.js';
import { documentLimits, formatGraphqlError } from './graphql/document-limits.js';
import { refuseNulCharacters } from './bootstrap/refuse-nul.js';
import { DemoIdpModule } from './demo/demo-idp.module.js';
import { HealthController } from './health/health.controller.js';
import { MetricsPortService } from './metrics/metrics-port.service.js';
import { WebErrorPages, WebModule } from '../../web/src/index.js';

/** The API: composes the libraries' modules; no business logic of its own. */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // Every line logged while handling a request carries its id (global, so its middleware runs first).
        requestLogContextModule(),
        DatabaseModule.forDataSource(dataSource),
        IdentityModule,
        PracticesModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          useFactory: () => {
            return {
              autoSchemaFile: true,
              sortSchema: true,
              path: '/graphql',
              graphiql: !config.production,
              introspection: config.graphqlIntrospection,
              csrfPrevention: true,
              ...documentLimits,
              // No enhancers on field resolvers: those without parameter decorators then run as plain functions, not
              // through Nest's per-call pipeline (a page of twenty practices calls a hundred). What they throw is
              // mapped in formatError, as the filter maps what operations throw; guards stay on operations.
              fieldResolverEnhancers: [],
              formatError: (formatted, error) => formatGraphqlError(mapFieldResolverError(formatted, error)),
              includeStacktraceInErrorResponses: false,
              context: ({ req }: { req: AuthenticatedRequest }): RequestContext => ({ req, actor: req.actor ?? Actor.anonymous(), loaders: new Map() }),
              plugins: [
                ...noStorePlugins(),
                graphqlMetricsPlugin(),
                queryLimitsPlugin({ maxDepth: config.graphqlMaxDepth, maxCost: config.graphqlMaxCost }),
                ...(config.publicCacheSeconds > 0 ? [publicResponseCachePlugin()] : []),
              ],
            };
          },
        }),
        IdentityGraphqlModule,
        PracticesGraphqlModule,
        DigestsApiModule,
        ...(config.demoMode ? [DemoIdpModule] : []),
        WebModule,
        // Probes fail often during an outage: the 503 says why, so terminus writes no error line for each.
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthController],
      providers: [
        MetricsPortService,
        PublicResponseCache,
        { provide: APP_GUARD, useClass: AccessGuard },
        // Browsers that reach no route get the web pages' GOV.UK error page; API clients get JSON.
        { provide: APP_FILTER, inject: [WebErrorPages], useFactory: (pages: WebErrorPages) => new ApiExceptionFilter(pages) },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Static files are the same for everyone and cheap: no session lookup and no rate-limit count for each of them.
    // Rate limits count after authentication, so a token or member is counted as itself rather than by address.
    // Anonymous public lists may be answered from the cache only once the caller is known and counted.
    consumer
      .apply(refuseNulCharacters, AuthenticationMiddleware, RateLimitMiddleware, PublicResponseCacheMiddleware)
      .exclude('assets/{*path}')
      .forRoutes('{*path}');
  }
}
