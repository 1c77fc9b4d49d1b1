import { Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CREATED_AT_ID, Permission, RequirePermission, cursorKeyAfter, encodeCursor, requireGlobalId } from '#identity';
import { FlagAction, FlagRepository, FlagService, FlagStatus, PracticeError, PracticeErrorCode, ResolveFlagInput, UnhideContentInput } from '#practices';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import { dateTimeFormat } from '../admin/date-times.js';
import { pageLinks, readPaging } from '../admin/paging.js';
import { WebInputError } from '../errors/web-errors.js';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { formErrors, single, type FieldError } from '../forms/form-errors.js';
import { actorOf, loaderContext, pageContext } from '../page-context.js';
import { WebViews } from '../rendering/web-views.js';
import { ModerationViews } from './moderation-views.js';

/** Flags per page of the queue. */
export const FLAGS_PAGE_SIZE = 20;

/** The queue's tabs: a flag status, or every flag. Open flags come first, and are what the page opens on. */
const TABS = ['open', 'hidden', 'dismissed', 'unhidden', 'all'] as const;
type Tab = (typeof TABS)[number];

const TAB_STATUS: Record<Tab, FlagStatus | undefined> = {
  open: FlagStatus.OPEN,
  hidden: FlagStatus.HIDDEN,
  dismissed: FlagStatus.DISMISSED,
  unhidden: FlagStatus.UNHIDDEN,
  all: undefined,
};

const TAB_KEYS: Record<Tab, string> = {
  open: 'moderation.tabs.open',
  hidden: 'moderation.tabs.hidden',
  dismissed: 'moderation.tabs.dismissed',
  unhidden: 'moderation.tabs.unhidden',
  all: 'moderation.tabs.all',
};

/** Each tab's heading above its flags, and what it says when there are none. */
const TAB_TEXT_KEYS: Record<Tab, { heading: string; none: string }> = {
  open: { heading: 'moderation.listHeading.open', none: 'moderation.none.open' },
  hidden: { heading: 'moderation.listHeading.hidden', none: 'moderation.none.hidden' },
  dismissed: { heading: 'moderation.listHeading.dismissed', none: 'moderation.none.dismissed' },
  unhidden: { heading: 'moderation.listHeading.unhidden', none: 'moderation.none.unhidden' },
  all: { heading: 'moderation.listHeading.all', none: 'moderation.none.all' },
};

/** What the success banner says after each action (`?done=`). */
const DONE_KEYS: Record<string, string> = {
  hidden: 'moderation.done.hidden',
  dismissed: 'moderation.done.dismissed',
  unhidden: 'moderation.done.unhidden',
};

function tabOf(value: unknown): Tab {
  const tab = single(value) || 'open';
  if (!(TABS as readonly string[]).includes(tab)) throw new WebInputError('Not a tab of the moderation queue');
  return tab as Tab;
}

/**
 * The moderation queue: flags on the content the person may moderate (moderators: what they can read; organisation
 * admins: their organisation's), through the same repository and service as the `flags` query and the
 * `resolveFlag` and `unhideContent` mutations.
 */
@Controller('moderation')
@UseFilters(WebExceptionFilter)
export class ModerationController {
  constructor(
    private readonly views: WebViews,
    private readonly flags: FlagRepository,
    private readonly service: FlagService,
    private readonly moderationViews: ModerationViews,
  ) {}

  @RequirePermission(Permission.FLAG_RESOLVE)
  @Get()
  async queue(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    await this.renderQueue(req, res, tabOf(query.status), query, [], 200);
  }

  /** Hide or dismiss: the resolveFlag mutation. */
  @RequirePermission(Permission.FLAG_RESOLVE)
  @Post('resolve')
  async resolve(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const tab = tabOf(body.status);
    const input = plainToInstance(ResolveFlagInput, { id: single(body.id), action: single(body.action) });
    if ((await validate(input)).length) throw new WebInputError('The moderation form sent an unknown flag or action');
    try {
      await this.service.resolve(actorOf(req), requireGlobalId(input.id, 'Flag'), input.action);
    } catch (error) {
      if (error instanceof PracticeError && error.code === PracticeErrorCode.INVALID_STATE) {
        const { t } = pageContext(res);
        await this.renderQueue(req, res, tab, {}, [{ field: `flag-${input.id}`, text: t('moderation.errors.alreadyResolved') }], 409);
        return;
      }
      throw error;
    }
    res.redirect(303, `/moderation?status=${tab}&done=${input.action === FlagAction.HIDE ? 'hidden' : 'dismissed'}`);
  }

  /** Bring hidden content back: the unhideContent mutation. */
  @RequirePermission(Permission.FLAG_RESOLVE)
  @Post('unhide')
  async unhide(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const tab = tabOf(body.status);
    const input = plainToInstance(UnhideContentInput, { subjectId: single(body.subjectId) });
    if ((await validate(input)).length) throw new WebInputError('The moderation form sent no content to bring back');
    try {
      await this.service.unhide(actorOf(req), input.subjectId);
    } catch (error) {
      if (error instanceof PracticeError && error.code === PracticeErrorCode.INVALID_STATE) {
        const { t } = pageContext(res);
        await this.renderQueue(req, res, tab, {}, [{ field: 'flags', text: t('moderation.errors.notHidden') }], 409);
        return;
      }
      throw error;
    }
    res.redirect(303, `/moderation?status=${tab}&done=unhidden`);
  }

  private async renderQueue(req: Request, res: Response, tab: Tab, query: Record<string, unknown>, errors: FieldError[], status: number): Promise<void> {
    const { t, lang } = pageContext(res);
    const paging = readPaging(query);
    const cursor = cursorKeyAfter(paging.after, CREATED_AT_ID);
    const rows = await this.flags.listWorkable(actorOf(req), TAB_STATUS[tab], FLAGS_PAGE_SIZE, cursor);
    const shown = rows.slice(0, FLAGS_PAGE_SIZE);
    const last = shown.at(-1);
    const nextCursor = rows.length > FLAGS_PAGE_SIZE && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null;
    const flags = await this.moderationViews.flags(loaderContext(req), shown, t, dateTimeFormat(lang));
    const done = DONE_KEYS[single(query.done)];
    this.views.render(
      res,
      'pages/moderation/queue.njk',
      {
        tab,
        listHeading: t(TAB_TEXT_KEYS[tab].heading),
        emptyText: t(TAB_TEXT_KEYS[tab].none),
        tabs: TABS.map((name) => ({ name, text: t(TAB_KEYS[name]), href: `/moderation?status=${name}`, current: name === tab })),
        flags,
        pagination: pageLinks('/moderation', { status: tab }, paging, nextCursor),
        done: done ? t(done) : null,
        errors: formErrors(errors),
      },
      status,
    );
  }
}
