import { Injectable } from '@nestjs/common';
import { IdentityLoaders, toGlobalId, type MemberEntity, type OrganisationEntity, type RequestContext } from '#identity';
import { FlagReason, FlagStatus, PracticeLoaders, type FlagEntity } from '#practices';
import type { Translate } from '../i18n/messages.js';

/** Catalogue keys of the reasons and statuses, written out so the catalogue test sees each one used. */
export const REASON_KEYS: Record<FlagReason, string> = {
  [FlagReason.PARTY_POLITICAL]: 'moderation.reason.partyPolitical',
  [FlagReason.ABUSIVE]: 'moderation.reason.abusive',
  [FlagReason.FALSE_INFORMATION]: 'moderation.reason.falseInformation',
  [FlagReason.OTHER]: 'moderation.reason.other',
};

export const STATUS_KEYS: Record<FlagStatus, string> = {
  [FlagStatus.OPEN]: 'moderation.status.open',
  [FlagStatus.HIDDEN]: 'moderation.status.hidden',
  [FlagStatus.DISMISSED]: 'moderation.status.dismissed',
  [FlagStatus.UNHIDDEN]: 'moderation.status.unhidden',
};

const STATUS_TAGS: Record<FlagStatus, string> = {
  [FlagStatus.OPEN]: 'govuk-tag--yellow',
  [FlagStatus.HIDDEN]: 'govuk-tag--red',
  [FlagStatus.DISMISSED]: 'govuk-tag--grey',
  [FlagStatus.UNHIDDEN]: 'govuk-tag--green',
};

/** How much of a flagged comment the queue quotes. */
const EXCERPT_CHARACTERS = 300;

export interface FlagView {
  id: string;
  status: FlagStatus;
  statusText: string;
  statusClass: string;
  reason: string;
  note: string;
  /** What was flagged, as the moderator may read it now: hidden content shows no title and no text. */
  subject: {
    kind: 'practice' | 'comment';
    globalId: string;
    /** The practice's title and page, when the moderator may read it now. */
    practice: { title: string; href: string; lang: string } | null;
    /** The comment's text (plain, shortened), when the moderator may read it now. */
    commentExcerpt: string | null;
    /** Whether the flagged content itself cannot be read now (hidden, or its practice hidden). */
    unreadable: boolean;
    /** Names the content for the buttons' screen-reader text; no hidden title. */
    label: string;
  };
  reporter: string | null;
  reported: string;
  resolvedBy: string | null;
  resolved: string;
  unhiddenBy: string | null;
  unhidden: string;
}

/**
 * The moderation queue's rows. The flag itself carries what the API's Flag object carries (reason, note, status,
 * who and when); the flagged practice or comment is loaded through the read rule's loaders, so hidden content gives
 * neither title nor text, as `node(id:)` gives null for it.
 */
@Injectable()
export class ModerationViews {
  constructor(
    private readonly practices: PracticeLoaders,
    private readonly identity: IdentityLoaders,
  ) {}

  async flags(context: RequestContext, rows: FlagEntity[], t: Translate, dateTime: (value: Date | null) => string): Promise<FlagView[]> {
    const practices = this.practices.for(context);
    const identity = this.identity.for(context);
    const people = await this.loadMany(
      identity.member,
      rows.flatMap((f) => [f.reporterId, f.resolvedById, f.unhiddenById].filter((id): id is string => !!id)),
    );
    const organisations = await this.loadMany(
      identity.organisation,
      [...people.values()].map((m) => m.organisationId),
    );
    const who = (id: string | null): string | null => {
      const member = id ? people.get(id) : undefined;
      if (!member) return null;
      const organisation = organisations.get(member.organisationId);
      return organisation ? t('moderation.flag.personOf', { name: member.name, organisation: organisation.name }) : member.name;
    };
    return Promise.all(
      rows.map(async (flag): Promise<FlagView> => {
        const [practice, comment] = await Promise.all([
          practices.practice.load(flag.practiceId),
          flag.commentId ? practices.comment.load(flag.commentId) : Promise.resolve(null),
        ]);
        const body = comment && !comment.deletedAt ? comment.body.replace(/\s+/g, ' ').trim() : null;
        return {
          id: toGlobalId('Flag', flag.id),
          status: flag.status,
          statusText: t(STATUS_KEYS[flag.status]),
          statusClass: STATUS_TAGS[flag.status],
          reason: t(REASON_KEYS[flag.reason]),
          note: flag.note,
          subject: {
            kind: flag.commentId ? 'comment' : 'practice',
            globalId: flag.commentId ? toGlobalId('Comment', flag.commentId) : toGlobalId('Practice', flag.practiceId),
            practice: practice ? { title: practice.title, href: `/practices/${toGlobalId('Practice', practice.id)}`, lang: practice.language } : null,
            commentExcerpt: body === null ? null : body.length > EXCERPT_CHARACTERS ? `${body.slice(0, EXCERPT_CHARACTERS)}…` : body,
            unreadable: flag.commentId ? comment === null : practice === null,
            label: flag.commentId
              ? comment && practice
                ? t('moderation.flag.commentOn', { title: practice.title })
                : t('moderation.flag.hiddenComment')
              : practice
                ? practice.title
                : t('moderation.flag.hiddenPractice'),
          },
          reporter: who(flag.reporterId),
          reported: dateTime(flag.createdAt),
          resolvedBy: who(flag.resolvedById),
          resolved: dateTime(flag.resolvedAt),
          unhiddenBy: who(flag.unhiddenById),
          unhidden: dateTime(flag.unhiddenAt),
        };
      }),
    );
  }

  private async loadMany<T extends MemberEntity | OrganisationEntity>(
    loader: { loadMany(ids: readonly string[]): Promise<(T | null | Error)[]> },
    ids: string[],
  ): Promise<Map<string, T>> {
    const rows = await loader.loadMany([...new Set(ids)]);
    return new Map(rows.filter((row): row is T => !!row && !(row instanceof Error)).map((row) => [row.id, row]));
  }
}
