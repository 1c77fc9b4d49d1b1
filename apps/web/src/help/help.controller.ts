import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { AppConfig } from '#config';
import { IdentityLoaders, Public, spUrls } from '#identity';
import type { Request, Response } from 'express';
import { printSchema } from 'graphql';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { actorOf, loaderContext, pageContext } from '../page-context.js';
import { WebViews } from '../rendering/web-views.js';

/** Stands for an organisation's slug in the addresses shown to someone who has not signed in. */
const SLUG_PLACEHOLDER = '<organisation>';

/**
 * Help pages: text from the catalogues; the addresses and limits they quote come from this installation's
 * configuration, so what an officer copies is what works here.
 */
@Controller('help')
@UseFilters(WebExceptionFilter)
export class HelpController {
  private schemaText: string | undefined;

  constructor(
    private readonly views: WebViews,
    private readonly config: AppConfig,
    private readonly identity: IdentityLoaders,
    private readonly modules: ModuleRef,
  ) {}

  @Public()
  @Get()
  index(@Res() res: Response): void {
    this.views.render(res, 'pages/help/index.njk');
  }

  /** What the Traffic Light Protocol labels mean here: who reads what. */
  @Public()
  @Get('tlp')
  tlp(@Res() res: Response): void {
    this.views.render(res, 'pages/help/tlp.njk');
  }

  /**
   * What an organisation gives its IdP's administrator. Signed in, the addresses are those of the member's own
   * organisation; otherwise they show where its short name goes.
   */
  @Public()
  @Get('identity-providers')
  async identityProviders(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = actorOf(req);
    const organisation = actor.organisationId ? await this.identity.for(loaderContext(req)).organisation.load(actor.organisationId) : null;
    const urls = spUrls(this.config, organisation?.slug ?? SLUG_PLACEHOLDER);
    const shown = Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, url.replace(encodeURIComponent(SLUG_PLACEHOLDER), SLUG_PLACEHOLDER)]));
    this.views.render(res, 'pages/help/identity-providers.njk', { organisation, urls: shown, placeholder: SLUG_PLACEHOLDER });
  }

  /** The GraphQL API for integrations: endpoint, tokens, an example, limits, webhooks. */
  @Public()
  @Get('api')
  api(@Res() res: Response): void {
    const graphqlUrl = `${this.config.publicUrl}/graphql`;
    const limits = this.config.rateLimits;
    const count = (value: number) => new Intl.NumberFormat(pageContext(res).lang === 'cy' ? 'cy' : 'en-GB').format(value);
    const query = '{ practices(first: 5, filter: {query: \\"phishing\\"}) { edges { node { title visibility organisation { name } } } } }';
    const example = [
      `curl -s ${graphqlUrl} \\`,
      "  -H 'content-type: application/json' \\",
      '  -H "authorization: Bearer $TOKEN" \\',
      `  --data '{"query":"${query}"}'`,
    ].join('\n');
    this.views.render(res, 'pages/help/api.njk', {
      graphqlUrl,
      feedUrl: `${this.config.publicUrl}/feeds/practices.atom`,
      example,
      graphiql: !this.config.production,
      rateLimits: this.config.rateLimits.enabled ? { member: count(limits.memberPerMinute), anonymous: count(limits.anonymousPerMinute) } : null,
    });
  }

  /** The schema integrators code against, as `npm run schema:print` writes it; public, as the committed file is. */
  @Public()
  @Get('api/schema.graphql')
  schema(@Res() res: Response): void {
    this.schemaText ??= `${printSchema(this.modules.get(GraphQLSchemaHost, { strict: false }).schema)}\n`;
    res.type('text/plain; charset=utf-8').setHeader('Content-Disposition', 'inline; filename="schema.graphql"').send(this.schemaText);
  }

  /** The accessibility statement, in the GOV.UK model. */
  @Public()
  @Get('accessibility')
  accessibility(@Res() res: Response): void {
    this.views.render(res, 'pages/help/accessibility.njk', { publicUrl: this.config.publicUrl });
  }
}
