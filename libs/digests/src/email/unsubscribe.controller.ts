import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { AppConfig, cspNonce, escapeHtml } from '#config';
import { Public } from '#identity';
import type { Response } from 'express';
import { DigestSubscriptionRepository } from '../subscriptions/digest-subscription.repository.js';
import { verifyUnsubscribeToken } from './unsubscribe-token.js';

/** A plain page; its inline style carries the response's CSP nonce. */
function page(res: Response, title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — Practice Exchange</title><meta name="viewport" content="width=device-width, initial-scale=1"><style nonce="${cspNonce(res)}">body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/**
 * One-click unsubscribe (RFC 8058) from a signed link that needs no sign-in: a POST unsubscribes (what mail clients
 * send); a GET only shows a confirmation form, so link scanners that follow every link unsubscribe nobody.
 */
@Controller('unsubscribe')
export class UnsubscribeController {
  constructor(
    private readonly config: AppConfig,
    private readonly subscriptions: DigestSubscriptionRepository,
  ) {}

  @Public()
  @Get(':token')
  async confirm(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const id = verifyUnsubscribeToken(token, this.config.appSecret);
    const subscription = id ? await this.subscriptions.findByIdForLink(id) : null;
    if (!subscription) {
      res
        .status(404)
        .type('html')
        .send(page(res, 'Link not recognised', '<p>This unsubscribe link is not valid, or the digest no longer exists.</p>'));
      return;
    }
    res
      .type('html')
      .send(
        page(
          res,
          'Unsubscribe',
          `<p>Stop the digest “${escapeHtml(subscription.name)}”?</p><form method="post"><button type="submit">Unsubscribe</button></form>`,
        ),
      );
  }

  @Public()
  @HttpCode(200)
  @Post(':token')
  async unsubscribe(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const id = verifyUnsubscribeToken(token, this.config.appSecret);
    const subscription = id ? await this.subscriptions.findByIdForLink(id) : null;
    if (!subscription) {
      res
        .status(404)
        .type('html')
        .send(page(res, 'Link not recognised', '<p>This unsubscribe link is not valid, or the digest no longer exists.</p>'));
      return;
    }
    await this.subscriptions.delete(subscription.id);
    res.type('html').send(page(res, 'Unsubscribed', `<p>You will receive no more of the digest “${escapeHtml(subscription.name)}”.</p>`));
  }
}
