import { Injectable } from '@nestjs/common';
import { IdentityLoaders, toGlobalId, type MemberEntity, type OrganisationEntity, type RequestContext } from '#identity';
import { AdoptionService, PracticeLoaders, Visibility, commentPageKey, type CommentEntity, type PracticeEdge, type PracticeEntity } from '#practices';
import type { Formats } from '../i18n/formats.js';
import { renderMarkdown } from '../rendering/markdown.js';
import { snippetHtml, type TrustedHtml } from '../rendering/trusted-html.js';

/** How many comments, replies per comment and adoptions a practice page shows (later ones need paging, to come). */
export const PAGE_LIMITS = { comments: 50, replies: 50, adoptions: 50 } as const;

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
  authorName: string | null;
  organisationName: string | null;
  written: string;
  edited: boolean;
  /** Null once its author deleted it. */
  bodyHtml: TrustedHtml | null;
  replies: CommentView[];
}

/** Related rows a page shows about practices, loaded through the API's DataLoaders, so with its read rules. */
@Injectable()
export class PracticeViews {
  constructor(
    private readonly practices: PracticeLoaders,
    private readonly identity: IdentityLoaders,
    private readonly adoptions: AdoptionService,
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
    const [tags, organisation, author, audienceIds, commentRows, adoptionRows, commentCount, adoptionCount] = await Promise.all([
      practices.tags.load(practice.id),
      identity.organisation.load(practice.organisationId),
      identity.member.load(practice.authorId),
      practice.visibility === Visibility.TLP_AMBER ? practices.audience.load(practice.id) : Promise.resolve([]),
      practices.commentPage.load(commentPageKey('practice', practice.id, PAGE_LIMITS.comments)),
      this.adoptions.listVisible(context.actor.viewer, practice.id, PAGE_LIMITS.adoptions),
      practices.commentCount.load(practice.id),
      practices.adoptionCount.load(practice.id),
    ]);
    const topLevel = commentRows.slice(0, PAGE_LIMITS.comments);
    // Every thread's replies in one batch, then every author and organisation in one batch each.
    const replyPages = await Promise.all(topLevel.map((c) => practices.commentPage.load(commentPageKey('parent', c.id, PAGE_LIMITS.replies))));
    const allComments = [...topLevel, ...replyPages.flatMap((page) => page.slice(0, PAGE_LIMITS.replies))];
    const members = await this.loadMany(identity.member, [...allComments.map((c) => c.authorId)]);
    const organisations = await this.loadMany(identity.organisation, [
      ...audienceIds,
      ...adoptionRows.map((a) => a.organisationId),
      ...[...members.values()].map((m) => m.organisationId),
    ]);
    const commentView = (comment: CommentEntity, replies: CommentEntity[]): CommentView => {
      const commentAuthor = members.get(comment.authorId) ?? null;
      return {
        id: toGlobalId('Comment', comment.id),
        authorName: commentAuthor?.name ?? null,
        organisationName: commentAuthor ? (organisations.get(commentAuthor.organisationId)?.name ?? null) : null,
        written: formats.date(comment.createdAt),
        edited: comment.editedAt !== null,
        bodyHtml: comment.deletedAt ? null : renderMarkdown(comment.body),
        replies: replies.map((reply) => commentView(reply, [])),
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
    };
  }

  private async loadMany<T extends MemberEntity | OrganisationEntity>(loader: { loadMany(ids: readonly string[]): Promise<(T | null | Error)[]> }, ids: string[]): Promise<Map<string, T>> {
    const unique = [...new Set(ids)];
    const rows = await loader.loadMany(unique);
    return new Map(rows.filter((row): row is T => !!row && !(row instanceof Error)).map((row) => [row.id, row]));
  }
}

export type PracticePageView = Awaited<ReturnType<PracticeViews['page']>>;
