import { Injectable } from '@nestjs/common';
import { AppConfig } from '#config';
import { groupBy, OrganisationRepository, toGlobalId } from '#identity';
import { TagRepository, Visibility, type PracticeEntity } from '#practices';
import type { AtomEntry } from './atom.js';

/** TLP markings as Atom `rights`. */
const MARKING: Record<Visibility, string> = {
  [Visibility.TLP_CLEAR]: 'TLP:CLEAR',
  [Visibility.TLP_GREEN]: 'TLP:GREEN',
  [Visibility.TLP_AMBER]: 'TLP:AMBER',
  [Visibility.TLP_AMBER_STRICT]: 'TLP:AMBER+STRICT',
};

/**
 * Feed entries of practices the feed's reader may read. CLEAR and GREEN ones in full; AMBER ones only as stubs naming
 * the organisation, since feed readers are often third-party services.
 */
@Injectable()
export class FeedEntries {
  constructor(
    private readonly config: AppConfig,
    private readonly organisations: OrganisationRepository,
    private readonly tags: TagRepository,
  ) {}

  async of(practices: PracticeEntity[]): Promise<AtomEntry[]> {
    const organisations = await this.organisations.findByIds([...new Set(practices.map((p) => p.organisationId))]);
    const names = new Map(organisations.map((o) => [o.id, o.name]));
    const tagRows = groupBy(await this.tags.ofPractices(practices.map((p) => p.id)), (t) => t.practiceId);
    return practices.map((p): AtomEntry => {
      const url = `${this.config.publicUrl}/practices/${encodeURIComponent(toGlobalId('Practice', p.id))}`;
      const organisationName = names.get(p.organisationId) ?? '';
      if (p.visibility === Visibility.TLP_AMBER || p.visibility === Visibility.TLP_AMBER_STRICT) {
        return { stub: true, id: `urn:uuid:${p.id}`, organisationName, url, updated: p.updatedAt };
      }
      return {
        categories: (tagRows.get(p.id) ?? []).map((t) => ({ term: t.tag.slug, label: t.tag.label })),
        id: `urn:uuid:${p.id}`,
        title: p.title,
        summary: p.summary,
        url,
        published: p.publishedAt ?? p.createdAt,
        updated: p.updatedAt,
        organisationName,
        language: p.language,
        rights: MARKING[p.visibility],
      };
    });
  }
}
