import { Controller, Get, Req, Res } from '@nestjs/common';
import { AppConfig } from '#config';
import { PUBLIC_VIEWER, Public } from '#identity';
import { PracticeOrder, PracticeRepository, PracticeStatus } from '#practices';
import type { Request, Response } from 'express';
import { renderAtomFeed } from './atom.js';
import { FeedEntries } from './feed-entries.js';
import { sendFeed } from './feed-response.js';

/** How many practices the public feed carries: the newest ones. */
export const PUBLIC_FEED_SIZE = 50;

/** What an empty feed reports as its last change, so that its bytes (and ETag) stay the same everywhere. */
const EMPTY_FEED_UPDATED = new Date(0);

/**
 * `GET /feeds/practices.atom`: the newest published TLP_CLEAR practices as an anonymous visitor sees them, whoever
 * asks, since the response is cached publicly. It reads through the practice read rule with the public viewer, so
 * hidden, draft, archived and restricted practices never reach it.
 *
 * `Last-Modified` is the newest update among the entries. When a practice leaves the feed (hidden, archived) it can
 * go backwards, so a client that sends only `If-Modified-Since` may keep a copy with that entry a while longer; the
 * content-derived `ETag` always changes, and `If-None-Match` takes precedence.
 */
@Controller('feeds')
export class PublicFeedController {
  constructor(
    private readonly config: AppConfig,
    private readonly practices: PracticeRepository,
    private readonly feedEntries: FeedEntries,
  ) {}

  @Public()
  @Get('practices.atom')
  async practicesFeed(@Req() req: Request, @Res() res: Response): Promise<void> {
    const listed = await this.practices.listVisible(PUBLIC_VIEWER, { status: PracticeStatus.PUBLISHED }, PracticeOrder.NEWEST, PUBLIC_FEED_SIZE);
    const practices = listed.slice(0, PUBLIC_FEED_SIZE).map((row) => row.practice);
    const entries = await this.feedEntries.of(practices);
    const updated = practices.reduce((newest, p) => (p.updatedAt > newest ? p.updatedAt : newest), EMPTY_FEED_UPDATED);
    const base = this.config.publicUrl;
    const body = renderAtomFeed({
      id: `${base}/feeds/practices.atom`,
      title: 'Practice Exchange: public practices',
      selfUrl: `${base}/feeds/practices.atom`,
      alternateUrl: `${base}/`,
      updated,
      entries,
    });
    sendFeed(req, res, body, updated, 'public, max-age=300');
  }
}
