import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import nunjucks from 'nunjucks';
import { WEB_PATHS } from '../paths.js';

/**
 * The Nunjucks environment of the pages: our views first, then GOV.UK Frontend's (`govuk/template.njk`, the component
 * macros). Autoescape is on, so every value is escaped unless it is {@link TrustedHtml}.
 */
@Injectable()
export class WebViews {
  private readonly env: nunjucks.Environment;

  constructor() {
    this.env = new nunjucks.Environment(new nunjucks.FileSystemLoader([WEB_PATHS.views, WEB_PATHS.govukDist]), {
      autoescape: true,
      throwOnUndefined: false,
      trimBlocks: true,
      lstripBlocks: true,
    });
  }

  /** Renders `template` with the request's page context (`res.locals`) and `data`. */
  renderToString(res: Response, template: string, data: Record<string, unknown> = {}): string {
    return this.env.render(template, { ...res.locals, ...data });
  }

  /** Sends a rendered page. */
  render(res: Response, template: string, data: Record<string, unknown> = {}, status = 200): void {
    const html = this.renderToString(res, template, data);
    res.status(status).type('html').send(html);
  }
}
