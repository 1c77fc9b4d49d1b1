import { Controller, Get, Req, Res } from '@nestjs/common';
import { AppConfig } from '#config';
import { OrganisationRepository, PUBLIC_VIEWER, Public, toGlobalId } from '#identity';
import { PracticeOrder, PracticeRepository, PracticeStatus, TagRepository, type PracticeEntity } from '#practices';
import type { Request, Response } from 'express';
import { renderAtomFeed, type AtomPracticeEntry } from './atom.js';
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
    private readonly organisations: OrganisationRepository,
    private readonly tags: TagRepository,
  ) {}

  @Public()
  @Get('practices.atom')
  async practicesFeed(@Req() req: Request, @Res() res: Response): Promise<void> {
    const listed = await this.practices.listVisible(PUBLIC_VIEWER, { status: PracticeStatus.PUBLISHED }, PracticeOrder.NEWEST, PUBLIC_FEED_SIZE);
    const practices = listed.slice(0, PUBLIC_FEED_SIZE).map((row) => row.practice);
    const entries = await this.entries(practices);
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

  private async entries(practices: PracticeEntity[]): Promise<AtomPracticeEntry[]> {
    const organisations = await this.organisations.findByIds([...new Set(practices.map((p) => p.organisationId))]);
    const names = new Map(organisations.map((o) => [o.id, o.name]));
    // The practices are the public's to read already, so their tags are too.
    const tagRows = await this.tags.ofPractices(practices.map((p) => p.id));
    return practices.map((p) => ({
      categories: tagRows.filter((t) => t.practiceId === p.id).map((t) => ({ term: t.tag.slug, label: t.tag.label })),
      id: `urn:uuid:${p.id}`,
      title: p.title,
      summary: p.summary,
      url: `${this.config.publicUrl}/practices/${encodeURIComponent(toGlobalId('Practice', p.id))}`,
      published: p.publishedAt ?? p.createdAt,
      updated: p.updatedAt,
      organisationName: names.get(p.organisationId) ?? '',
      language: p.language,
      rights: 'TLP:CLEAR',
    }));
  }
}
