import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { AppConfig } from '#config';
import { MemberRepository, Public } from '#identity';
import type { Request, Response } from 'express';
import { DigestCompositionRepository } from '../deliveries/digest-composition.repository.js';
import { DigestChannel } from '../subscriptions/digest-subscription.entity.js';
import { DigestSubscriptionRepository } from '../subscriptions/digest-subscription.repository.js';
import { feedTokenMatches, feedTokenSubscriptionId } from '../subscriptions/feed-token.js';
import { subscriberViewer } from '../subscriptions/subscriber-viewer.js';
import { renderAtomFeed } from './atom.js';
import { FeedEntries } from './feed-entries.js';
import { sendFeed } from './feed-response.js';

const FEED_SIZE = 50;

/**
 * `GET /feeds/subscriptions/:token.atom`: an ATOM subscription's practices as its owner may read them now; the secret
 * token is the only proof, so it is checked in constant time and a wrong, rotated or paused one is simply not found.
 */
@Controller('feeds/subscriptions')
export class SubscriptionFeedController {
  constructor(
    private readonly config: AppConfig,
    private readonly subscriptions: DigestSubscriptionRepository,
    private readonly members: MemberRepository,
    private readonly composition: DigestCompositionRepository,
    private readonly feedEntries: FeedEntries,
  ) {}

  @Public()
  @Get(':file')
  async feed(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const token = file.endsWith('.atom') ? file.slice(0, -'.atom'.length) : '';
    const id = feedTokenSubscriptionId(token);
    const subscription = id ? await this.subscriptions.findByIdForLink(id) : null;
    const member = subscription ? await this.members.findForSignIn(subscription.memberId) : null;
    const valid =
      subscription &&
      member &&
      subscription.channel === DigestChannel.ATOM &&
      !subscription.pausedAt &&
      !member.deactivatedAt &&
      feedTokenMatches(token, subscription.id, subscription.feedTokenVersion, this.config.appSecret);
    if (!valid || !subscription || !member) {
      res.status(404).type('text/plain').send('No such feed. It may have been rotated or deleted; copy the current address from your digest settings.');
      return;
    }
    const practices = await this.composition.recentFor(subscription, subscriberViewer(subscription, member), FEED_SIZE);
    const updated = practices.reduce((newest, p) => (p.updatedAt > newest ? p.updatedAt : newest), new Date(0));
    const self = `${this.config.publicUrl}/feeds/subscriptions/${file}`;
    const body = renderAtomFeed({
      id: `urn:uuid:${subscription.id}`,
      title: `Practice Exchange: ${subscription.name}`,
      selfUrl: self,
      alternateUrl: `${this.config.publicUrl}/`,
      updated,
      entries: await this.feedEntries.of(practices),
    });
    // Private: the feed is its owner's, even though its address is the credential.
    sendFeed(req, res, body, updated, 'private, max-age=300');
  }
}
