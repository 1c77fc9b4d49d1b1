import { Injectable } from '@nestjs/common';
import { IdentityLoaders, Permission, toGlobalId, type Actor, type MemberEntity, type OrganisationEntity, type RequestContext } from '#identity';
import {
  AdoptionService,
  PracticeAccess,
  PracticeAccessService,
  PracticeLoaders,
  PracticeStatus,
  RevisionRepository,
  Visibility,
  commentPageKey,
  type CommentEntity,
  type PracticeEdge,
  type PracticeEntity,
} from '#practices';
import type { Formats } from '../i18n/formats.js';
import { renderMarkdown } from '../rendering/markdown.js';
import { snippetHtml, type TrustedHtml } from '../rendering/trusted-html.js';
import { REVISION_STATUS, commentAnchor } from './practice-actions.forms.js';

/**
 * How many comments, replies per comment, adoptions and revisions a practice page shows (later ones need paging, to
 * come; every revision is on the revisions page).
 */
export const PAGE_LIMITS = { comments: 50, replies: 50, adoptions: 50, revisions: 10 } as const;

/** What the viewer may do with the practice; the service decides again on every POST. */
export interface PracticeAbilities {
  edit: boolean;
  publish: boolean;
  archive: boolean;
  comment: boolean;
  adopt: boolean;
  flag: boolean;
}

export interface RevisionRow {
  revision: number;
  editorName: string | null;
  written: string;
  status: PracticeStatus;
  /** The catalogue key of the status. */
  statusKey: string;
  visibility: Visibility;
}

export interface PracticeListItem {
  href: string;
  title: string;
  /** The practice's language, when it is not the page's: the `lang` attribute of its text. */
  lang: string | null;
  visibility: Visibility;
  organisationName: string;
  published: string;
  summaryHtml: TrustedHtml;
  snippetHtml: TrustedHtml | null;
  tags: { slug: string; label: string }[];
}

export interface CommentView {
  id: string;
  /** The id of its element on the practice page. */
  anchor: string;
  authorName: string | null;
  organisationName: string | null;
  written: string;
  edited: boolean;
  /** Null once its author deleted it. */
  bodyHtml: TrustedHtml | null;
  replies: CommentView[];
  /** Its author, while they can still read it, may edit or delete it. */
  canEdit: boolean;
  canReply: boolean;
  canFlag: boolean;
}

/** Related rows a page shows about practices, loaded through the API's DataLoaders, so with its read rules. */
@Injectable()
export class PracticeViews {
  constructor(
    private readonly practices: PracticeLoaders,
    private readonly identity: IdentityLoaders,
    private readonly adoptions: AdoptionService,
    private readonly revisions: RevisionRepository,
    private readonly access: PracticeAccessService,
  ) {}

  /** The practices of one results page: tags and organisations come in one batch each, whatever the page size. */
  async listItems(context: RequestContext, edges: PracticeEdge[], lang: string, formats: Formats): Promise<PracticeListItem[]> {
    const practices = this.practices.for(context);
    const identity = this.identity.for(context);
    return Promise.all(
      edges.map(async ({ node, snippet }) => {
        const [tags, organisation] = await Promise.all([practices.tags.load(node.rowId), identity.organisation.load(node.organisationRowId)]);
        return {
          href: `/practices/${node.id}`,
          title: node.title,
          lang: node.language === lang ? null : node.language,
          visibility: node.visibility,
          organisationName: organisation?.name ?? '',
          published: formats.date(node.publishedAt ?? node.createdAt),
          summaryHtml: renderMarkdown(node.summary),
          snippetHtml: snippetHtml(snippet),
          tags: tags.map((tag) => ({ slug: tag.slug, label: tag.label })),
        };
      }),
    );
  }

  /** Everything the practice page shows about one practice the viewer may read. */
  async page(context: RequestContext, practice: PracticeEntity, formats: Formats) {
    const practices = this.practices.for(context);
    const identity = this.identity.for(context);
    const { actor } = context;
    const [tags, organisation, author, audienceIds, commentRows, adoptionRows, commentCount, adoptionCount, revisionRows, abilities] = await Promise.all([
      practices.tags.load(practice.id),
      identity.organisation.load(practice.organisationId),
      identity.member.load(practice.authorId),
      practice.visibility === Visibility.TLP_AMBER ? practices.audience.load(practice.id) : Promise.resolve([]),
      practices.commentPage.load(commentPageKey('practice', practice.id, PAGE_LIMITS.comments)),
      this.adoptions.listVisible(context.actor.viewer, practice.id, PAGE_LIMITS.adoptions),
      practices.commentCount.load(practice.id),
      practices.adoptionCount.load(practice.id),
      this.revisions.listVisible(actor.viewer, practice.id, PAGE_LIMITS.revisions),
      this.abilities(actor, practice),
    ]);
    const topLevel = commentRows.slice(0, PAGE_LIMITS.comments);
    // Every thread's replies in one batch, then every author and organisation in one batch each.
    const replyPages = await Promise.all(topLevel.map((c) => practices.commentPage.load(commentPageKey('parent', c.id, PAGE_LIMITS.replies))));
    const allComments = [...topLevel, ...replyPages.flatMap((page) => page.slice(0, PAGE_LIMITS.replies))];
    const [members, commentAccess] = await Promise.all([
      this.loadMany(identity.member, [...allComments.map((c) => c.authorId), ...revisionRows.map((r) => r.editorId)]),
      this.commentAccess(
        actor,
        allComments.map((c) => c.id),
      ),
    ]);
    const organisations = await this.loadMany(identity.organisation, [
      ...audienceIds,
      ...adoptionRows.map((a) => a.organisationId),
      ...[...members.values()].map((m) => m.organisationId),
    ]);
    const commentView = (comment: CommentEntity, replies: CommentEntity[]): CommentView => {
      const commentAuthor = members.get(comment.authorId) ?? null;
      const id = toGlobalId('Comment', comment.id);
      return {
        id,
        anchor: commentAnchor(id),
        authorName: commentAuthor?.name ?? null,
        organisationName: commentAuthor ? (organisations.get(commentAuthor.organisationId)?.name ?? null) : null,
        written: formats.date(comment.createdAt),
        edited: comment.editedAt !== null,
        bodyHtml: comment.deletedAt ? null : renderMarkdown(comment.body),
        replies: replies.map((reply) => commentView(reply, [])),
        canEdit: commentAccess.edit.has(comment.id),
        canReply: comment.parentId === null && commentAccess.engage.has(comment.id) && actor.can(Permission.COMMENT_WRITE),
        // Reporting one's own comment is allowed but pointless: its author edits or deletes it instead.
        canFlag: commentAccess.engage.has(comment.id) && actor.can(Permission.FLAG_CREATE) && comment.authorId !== actor.memberId,
      };
    };
    return {
      id: toGlobalId('Practice', practice.id),
      title: practice.title,
      language: practice.language,
      visibility: practice.visibility,
      status: practice.status,
      revision: practice.revision,
      published: formats.date(practice.publishedAt),
      updated: formats.date(practice.updatedAt),
      summaryHtml: renderMarkdown(practice.summary),
      problemHtml: renderMarkdown(practice.problem),
      approachHtml: renderMarkdown(practice.approach),
      outcomesHtml: renderMarkdown(practice.outcomes),
      resources: practice.resources.map((r) => ({ title: r.title, url: /^https?:\/\//i.test(r.url) ? r.url : null })),
      tags: tags.map((tag) => ({ slug: tag.slug, label: tag.label })),
      organisation: organisation ? { name: organisation.name, slug: organisation.slug } : null,
      author: author ? { name: author.name } : null,
      audience: audienceIds.map((id) => organisations.get(id)?.name).filter((name): name is string => !!name),
      comments: topLevel.map((comment, i) => commentView(comment, replyPages[i]!.slice(0, PAGE_LIMITS.replies))),
      commentCount,
      moreComments: commentRows.length > PAGE_LIMITS.comments,
      adoptions: adoptionRows.map((adoption) => ({
        organisationName: organisations.get(adoption.organisationId)?.name ?? '',
        note: adoption.note,
        outcome: adoption.outcome,
        recorded: formats.date(adoption.updatedAt),
      })),
      adoptionCount,
      /** The viewer's organisation has recorded adopting it (among those shown): the form then updates it. */
      ownAdoption: actor.organisationId !== null && adoptionRows.some((adoption) => adoption.organisationId === actor.organisationId),
      revisions: revisionRows.slice(0, PAGE_LIMITS.revisions).map((row) => ({
        revision: row.revision,
        editorName: members.get(row.editorId)?.name ?? null,
        written: formats.date(row.createdAt),
        status: row.status,
        statusKey: REVISION_STATUS[row.status],
        visibility: row.visibility,
      })) satisfies RevisionRow[],
      moreRevisions: revisionRows.length > PAGE_LIMITS.revisions,
      can: abilities,
    };
  }

  /**
   * The newest `first` revisions of a practice the viewer may read under the revision read rule (the one behind the
   * API's Practice.revisions), with their editors through the member loader; `more` when there are older ones.
   */
  async revisionHistory(context: RequestContext, practiceId: string, first: number, formats: Formats): Promise<{ rows: RevisionRow[]; more: boolean }> {
    const rows = await this.revisions.listVisible(context.actor.viewer, practiceId, first);
    const editors = await this.loadMany(
      this.identity.for(context).member,
      rows.map((r) => r.editorId),
    );
    return {
      rows: rows.slice(0, first).map((row) => ({
        revision: row.revision,
        editorName: editors.get(row.editorId)?.name ?? null,
        written: formats.date(row.createdAt),
        status: row.status,
        statusKey: REVISION_STATUS[row.status],
        visibility: row.visibility,
      })),
      more: rows.length > first,
    };
  }

  /**
   * What the viewer may do with the practice, as the service's access rules answer (one statement each): editing for
   * the practice's own organisation's writers, comments, adoptions and flags for readers of a published practice.
   */
  private async abilities(actor: Actor, practice: PracticeEntity): Promise<PracticeAbilities> {
    const [edit, engage] = await Promise.all([
      this.access.allowed(actor, PracticeAccess.PRACTICE_EDIT, [practice.id]).then((ids) => ids.has(practice.id)),
      this.access.allowed(actor, PracticeAccess.PRACTICE_ENGAGE, [practice.id]).then((ids) => ids.has(practice.id)),
    ]);
    return {
      // Archived practices are published again before they are edited (the service refuses the edit otherwise).
      edit: edit && practice.status !== PracticeStatus.ARCHIVED,
      publish: edit && practice.status !== PracticeStatus.PUBLISHED,
      archive: edit && practice.status === PracticeStatus.PUBLISHED,
      comment: engage && actor.can(Permission.COMMENT_WRITE),
      adopt: engage && actor.can(Permission.ADOPTION_WRITE),
      flag: engage && actor.can(Permission.FLAG_CREATE),
    };
  }

  /** The comments the viewer may edit (their own) and reply to or flag, by the service's access rules. */
  private async commentAccess(actor: Actor, ids: string[]): Promise<{ edit: Set<string>; engage: Set<string> }> {
    if (!actor.signedIn || !ids.length) return { edit: new Set(), engage: new Set() };
    const [edit, engage] = await Promise.all([
      this.access.allowed(actor, PracticeAccess.COMMENT_EDIT, ids),
      this.access.allowed(actor, PracticeAccess.COMMENT_ENGAGE, ids),
    ]);
    return { edit, engage };
  }

  private async loadMany<T extends MemberEntity | OrganisationEntity>(
    loader: { loadMany(ids: readonly string[]): Promise<(T | null | Error)[]> },
    ids: string[],
  ): Promise<Map<string, T>> {
    const unique = [...new Set(ids)];
    const rows = await loader.loadMany(unique);
    return new Map(rows.filter((row): row is T => !!row && !(row instanceof Error)).map((row) => [row.id, row]));
  }
}

export type PracticePageView = Awaited<ReturnType<PracticeViews['page']>>;
