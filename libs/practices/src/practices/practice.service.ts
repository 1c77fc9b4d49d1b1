import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '#database';
import { Actor, AuditAction, AuditService, OrganisationRepository, Permission } from '#identity';
import { PracticeAccess, PracticeAccessService } from '../access/practice-access.js';
import { PracticeError, PracticeErrorCode } from '../practices.errors.js';
import { RevisionRepository } from '../revisions/revision.repository.js';
import { tagSlug } from '../tags/tag-slug.js';
import { TagRepository } from '../tags/tag.repository.js';
import { PracticeStatus, Visibility, takesAudience } from '../visibility/visibility.enum.js';
import type { CreatePracticeInput, UpdatePracticeInput } from './dto/practice-mutations.input.js';
import { PracticePublication } from './practice-publication.js';
import type { PracticeEntity } from './practice.entity.js';
import { PracticeRepository, type PracticeContent } from './practice.repository.js';

type ContentFields = Omit<CreatePracticeInput, never>;

/** Decides practice writes; every change writes a full revision in the same transaction. */
@Injectable()
export class PracticeService {
  private readonly logger = new Logger(PracticeService.name);

  constructor(
    private readonly practices: PracticeRepository,
    private readonly revisions: RevisionRepository,
    private readonly tags: TagRepository,
    private readonly organisations: OrganisationRepository,
    private readonly access: PracticeAccessService,
    private readonly audit: AuditService,
    private readonly publication: PracticePublication,
    private readonly tx: TransactionHost,
  ) {}

  /** Creates a DRAFT of the actor's organisation. */
  async create(actor: Actor, input: CreatePracticeInput): Promise<PracticeEntity> {
    if (!actor.memberId || !actor.organisationId || !actor.can(Permission.PRACTICE_WRITE)) {
      throw new PracticeError(PracticeErrorCode.PERMISSION_DENIED, 'Only contributors and organisation admins create practices.');
    }
    const memberId = actor.memberId;
    const organisationId = actor.organisationId;
    const tagLabels = this.checkTags(input.tags);
    return this.tx.run(async () => {
      const audienceIds = await this.resolveAudience(input.visibility, input.audienceOrganisationSlugs ?? [], organisationId);
      const practice = await this.practices.insert({ ...this.content(input), organisationId, authorId: memberId });
      const tags = await this.tags.ensure(tagLabels);
      await this.tags.replaceOfPractice(
        practice.id,
        tags.map((t) => t.id),
      );
      await this.practices.replaceAudience(practice.id, audienceIds);
      await this.writeRevision(
        practice,
        memberId,
        tags.map((t) => t.slug),
        audienceIds,
      );
      this.logger.log({ msg: 'practice created', practiceId: practice.id });
      return practice;
    });
  }

  /**
   * Applies an edit based on `expectedRevision`; if anyone changed the practice since, nothing is written and the
   * caller gets a CONFLICT naming the current revision.
   */
  async update(actor: Actor, id: string, input: Omit<UpdatePracticeInput, 'id'>): Promise<PracticeEntity> {
    const tagLabels = input.tags ? this.checkTags(input.tags) : undefined;
    return this.tx.run(async () => {
      await this.access.requireAccess(actor, PracticeAccess.PRACTICE_EDIT, [id]);
      const current = (await this.practices.findForUpdate(id))!;
      if (current.status === PracticeStatus.ARCHIVED) {
        throw new PracticeError(PracticeErrorCode.INVALID_STATE, 'Archived practices cannot be edited; publish it again first.');
      }
      if (current.revision !== input.expectedRevision) {
        throw new PracticeError(
          PracticeErrorCode.REVISION_CONFLICT,
          `expectedRevision: the practice is at revision ${current.revision}, not ${input.expectedRevision}; reload it and apply your change again`,
          'expectedRevision',
        );
      }
      const visibility = input.visibility ?? current.visibility;
      const audienceSlugs = input.audienceOrganisationSlugs;
      let audienceIds: string[];
      if (audienceSlugs !== undefined && audienceSlugs !== null) {
        audienceIds = await this.resolveAudience(visibility, audienceSlugs, current.organisationId);
      } else if (takesAudience(visibility)) {
        audienceIds = (await this.practices.audienceOf([id])).map((a) => a.organisationId);
      } else {
        audienceIds = [];
      }
      const changes = this.content({ ...current, ...stripNulls(input) } as ContentFields);
      await this.practices.updateIfRevision(id, input.expectedRevision, changes);
      await this.practices.replaceAudience(id, audienceIds);
      let slugs: string[];
      if (tagLabels) {
        const tags = await this.tags.ensure(tagLabels);
        await this.tags.replaceOfPractice(
          id,
          tags.map((t) => t.id),
        );
        slugs = tags.map((t) => t.slug);
      } else {
        slugs = (await this.tags.ofPractices([id])).map((t) => t.tag.slug);
      }
      const updated = await this.practices.findById(id);
      await this.writeRevision(updated, actor.memberId!, slugs, audienceIds);
      if (visibility !== current.visibility) {
        await this.audit.record({
          action: AuditAction.VISIBILITY_CHANGED,
          actorMemberId: actor.memberId,
          organisationId: current.organisationId,
          subjectType: 'Practice',
          subjectId: id,
          details: { from: current.visibility, to: visibility, revision: updated.revision },
        });
      }
      return updated;
    });
  }

  /**
   * DRAFT (or ARCHIVED) to PUBLISHED. Publishing a draft writes a revision recorded as PUBLISHED (the next revision
   * number); the first publication runs the publication hooks in the same transaction.
   */
  async publish(actor: Actor, id: string, now = new Date()): Promise<PracticeEntity> {
    return this.tx.run(async () => {
      await this.access.requireAccess(actor, PracticeAccess.PRACTICE_EDIT, [id]);
      const current = (await this.practices.findForUpdate(id))!;
      if (current.status === PracticeStatus.PUBLISHED) return current;
      const first = current.publishedAt === null;
      await this.practices.setStatus(id, PracticeStatus.PUBLISHED, first ? now : undefined);
      if (current.status === PracticeStatus.DRAFT) {
        // The revisions so far were written as a draft and stay readable by the organisation only; the published
        // text gets a revision of its own, readable by everyone the practice is for.
        await this.practices.advanceRevision(id);
        const audienceIds = (await this.practices.audienceOf([id])).map((a) => a.organisationId);
        const slugs = (await this.tags.ofPractices([id])).map((t) => t.tag.slug);
        await this.writeRevision(await this.practices.findById(id), actor.memberId!, slugs, audienceIds);
      }
      if (first) await this.publication.published(id, now);
      this.logger.log({ msg: 'practice published', practiceId: id, first });
      return this.practices.findById(id);
    });
  }

  async archive(actor: Actor, id: string): Promise<PracticeEntity> {
    return this.tx.run(async () => {
      await this.access.requireAccess(actor, PracticeAccess.PRACTICE_EDIT, [id]);
      const current = (await this.practices.findForUpdate(id))!;
      if (current.status === PracticeStatus.DRAFT) {
        throw new PracticeError(PracticeErrorCode.INVALID_STATE, 'A draft cannot be archived; publish it first, or leave it as a draft.');
      }
      if (current.status !== PracticeStatus.ARCHIVED) await this.practices.setStatus(id, PracticeStatus.ARCHIVED);
      this.logger.log({ msg: 'practice archived', practiceId: id });
      return this.practices.findById(id);
    });
  }

  private content(input: ContentFields): PracticeContent {
    return {
      title: input.title,
      summary: input.summary,
      problem: input.problem,
      approach: input.approach,
      outcomes: input.outcomes,
      resources: (input.resources ?? []).map((r) => ({ title: r.title, url: r.url })),
      language: input.language ?? 'en',
      visibility: input.visibility,
    };
  }

  private checkTags(labels: string[]): string[] {
    const empty = labels.find((l) => tagSlug(l) === '');
    if (empty !== undefined) {
      throw new PracticeError(PracticeErrorCode.INVALID_INPUT, `tags: "${empty}" has no letters or digits`, 'tags');
    }
    return labels;
  }

  /** Audience organisation ids for a TLP_AMBER practice; an audience on any other level is refused. */
  private async resolveAudience(visibility: Visibility, slugs: string[], ownOrganisationId: string): Promise<string[]> {
    const wanted = [...new Set(slugs.map((s) => s.trim().toLowerCase()))];
    if (!takesAudience(visibility)) {
      if (wanted.length) {
        throw new PracticeError(
          PracticeErrorCode.INVALID_INPUT,
          `audienceOrganisationSlugs: only TLP_AMBER practices name an audience (this one is ${visibility})`,
          'audienceOrganisationSlugs',
        );
      }
      return [];
    }
    const found = await this.organisations.findBySlugs(wanted);
    const unknown = wanted.filter((s) => !found.some((o) => o.slug === s));
    if (unknown.length) {
      throw new PracticeError(
        PracticeErrorCode.INVALID_INPUT,
        `audienceOrganisationSlugs: no organisation has the slug ${unknown.map((s) => `"${s}"`).join(', ')}`,
        'audienceOrganisationSlugs',
      );
    }
    return found.map((o) => o.id).filter((id) => id !== ownOrganisationId);
  }

  private async writeRevision(practice: PracticeEntity, editorId: string, tagSlugs: string[], audienceIds: string[]): Promise<void> {
    await this.revisions.insert({
      practiceId: practice.id,
      revision: practice.revision,
      editorId,
      title: practice.title,
      summary: practice.summary,
      problem: practice.problem,
      approach: practice.approach,
      outcomes: practice.outcomes,
      resources: practice.resources,
      tagSlugs,
      language: practice.language,
      visibility: practice.visibility,
      audienceOrganisationIds: audienceIds,
      status: practice.status,
    });
  }
}

/** GraphQL sends null for fields a client set to null; for an edit that means "leave as is". */
function stripNulls<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}
