import { Controller, Get, NotFoundException, Param, Res, UseFilters } from '@nestjs/common';
import { Public } from '#identity';
import type { Response } from 'express';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { WEB_PATHS } from '../paths.js';

/** GOV.UK Frontend's precompiled files, served from the package (never a CDN); the rest of /assets is its fonts and images. */
const BUNDLE_FILES = new Set(['govuk-frontend.min.css', 'govuk-frontend.min.js']);

/**
 * Static files of the pages: `/assets/app/*` from apps/web/public, GOV.UK Frontend's CSS, JavaScript, fonts and
 * images from the `govuk-frontend` package, at the paths its CSS and template expect.
 */
@Controller('assets')
@UseFilters(WebExceptionFilter)
export class AssetsController {
  @Public()
  @Get('{*path}')
  asset(@Param('path') segments: string[] | string, @Res() res: Response): void {
    const parts = Array.isArray(segments) ? segments : String(segments).split('/');
    if (parts.length === 0 || parts.some((p) => !p || p.startsWith('.') || p.includes('\\'))) throw new NotFoundException();
    const [first, ...rest] = parts;
    const [root, file] =
      first === 'app'
        ? [WEB_PATHS.public, rest.join('/')]
        : parts.length === 1 && BUNDLE_FILES.has(first!)
          ? [WEB_PATHS.govukBundle, first!]
          : [WEB_PATHS.govukAssets, parts.join('/')];
    if (!file) throw new NotFoundException();
    res.sendFile(file, { root, dotfiles: 'deny', maxAge: '1d', headers: { 'X-Content-Type-Options': 'nosniff' } }, (error?: Error) => {
      if (error && !res.headersSent) res.status(404).type('text/plain').send('There is no file at this address.');
    });
  }
}
