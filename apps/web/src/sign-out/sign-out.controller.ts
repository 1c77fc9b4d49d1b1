import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { AppConfig } from '#config';
import { Public, SESSION_COOKIE, SingleLogoutService, cookieValue } from '#identity';
import type { Request, Response } from 'express';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { allowFormTargets } from '../middleware/web-security.js';
import { actorOf, type WebRequest } from '../page-context.js';
import { WebViews } from '../rendering/web-views.js';

/**
 * Signing out: a page with a POST form (a link would let any site sign people out), which ends the session and
 * continues to the IdP's single logout where it has one.
 */
@Controller('sign-out')
@UseFilters(WebExceptionFilter)
export class SignOutController {
  constructor(
    private readonly views: WebViews,
    private readonly logout: SingleLogoutService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  async confirm(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!actorOf(req).signedIn) {
      res.redirect(303, '/');
      return;
    }
    // The form's answer redirects to the IdP's single logout service: form-action must allow it.
    allowFormTargets(res, [await this.logout.logoutOrigin((req as WebRequest).sessionId)]);
    this.views.render(res, 'pages/sign-out/sign-out.njk');
  }

  @Public()
  @Post()
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    const cookie = cookieValue(req, SESSION_COOKIE);
    const { redirect } = cookie ? await this.logout.signOut(cookie) : { redirect: null };
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: this.config.secureCookies });
    res.redirect(303, redirect ?? '/');
  }
}
