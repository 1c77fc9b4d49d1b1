import { Controller, Get, Res, UseFilters } from '@nestjs/common';
import { Public } from '#identity';
import type { Response } from 'express';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { WebViews } from '../rendering/web-views.js';

/** Help pages: text from the catalogues only. */
@Controller('help')
@UseFilters(WebExceptionFilter)
export class HelpController {
  constructor(private readonly views: WebViews) {}

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
}
