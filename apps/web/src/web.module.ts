import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AppConfig } from '#config';
import { DigestsModule } from '#digests';
import { IdentityGraphqlModule, IdentityModule } from '#identity';
import { PracticesGraphqlModule, PracticesModule } from '#practices';
import { AssetsController } from './assets/assets.controller.js';
import { DigestsController } from './digests/digests.controller.js';
import { WebErrorPages } from './errors/web-error-pages.js';
import { WebExceptionFilter } from './errors/web-exception.filter.js';
import { HelpController } from './help/help.controller.js';
import { WebMessages } from './i18n/web-messages.js';
import { PracticeActionsController } from './practices/practice-actions.controller.js';
import { ModerationController } from './moderation/moderation.controller.js';
import { ModerationViews } from './moderation/moderation-views.js';
import { IdentityProvidersController } from './organisation/identity-providers.controller.js';
import { OrganisationController } from './organisation/organisation.controller.js';
import { OrganisationScopes } from './organisation/organisation-scope.js';
import { PlatformController } from './platform/platform.controller.js';
import { PracticeViews } from './practices/practice-views.js';
import { PracticesController } from './practices/practices.controller.js';
import { WebViews } from './rendering/web-views.js';
import { SignOutController } from './sign-out/sign-out.controller.js';
import { StartController } from './start/start.controller.js';
import { TokensController } from './tokens/tokens.controller.js';
import { webMiddleware } from './web-middleware.js';
import { WriteController } from './write/write.controller.js';

/**
 * The controllers that render pages; the web middleware runs for their routes. Routes match in this order: the write
 * pages' `/practices/new` comes before the practice page's `/practices/:id`.
 */
const PAGE_CONTROLLERS = [
  StartController,
  SignOutController,
  WriteController,
  PracticesController,
  PracticeActionsController,
  HelpController,
  DigestsController,
  TokensController,
  ModerationController,
  OrganisationController,
  IdentityProvidersController,
  PlatformController,
];

/**
 * The server-rendered GOV.UK pages, mounted by the API at `/`. Controllers call the libraries' services and loaders
 * (the GraphQL modules are imported for their DataLoaders), never GraphQL over HTTP.
 */
@Module({
  imports: [IdentityModule, IdentityGraphqlModule, PracticesModule, PracticesGraphqlModule, DigestsModule],
  controllers: [...PAGE_CONTROLLERS, AssetsController],
  providers: [WebViews, WebMessages, WebErrorPages, WebExceptionFilter, PracticeViews, ModerationViews, OrganisationScopes],
  exports: [WebErrorPages],
})
export class WebModule implements NestModule {
  constructor(
    private readonly config: AppConfig,
    private readonly messages: WebMessages,
    private readonly errorPages: WebErrorPages,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(...webMiddleware({ config: this.config, messages: this.messages, errorPages: this.errorPages })).forRoutes(...PAGE_CONTROLLERS);
  }
}
