import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { MemberEntity } from '../members/member.entity.js';
import { MemberRepository } from '../members/member.repository.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import { loadersOf, type RequestContext } from './request-context.js';

export interface IdentityLoaderGroup {
  organisation: DataLoader<string, OrganisationEntity | null>;
  /** Applies the member read rule: empty for the public. */
  member: DataLoader<string, MemberEntity | null>;
  domains: DataLoader<string, string[]>;
}

/** Rows in the order of `ids`, null where a row was not found (or not visible): what a DataLoader batch returns. */
export function byIds<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

/** Per-request loaders for organisations and members. */
@Injectable()
export class IdentityLoaders {
  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly members: MemberRepository,
  ) {}

  for(context: RequestContext): IdentityLoaderGroup {
    return loadersOf(context, IdentityLoaders, () => ({
      organisation: new DataLoader(async (ids) => byIds(ids, await this.organisations.findByIds(ids))),
      member: new DataLoader(async (ids) => byIds(ids, await this.members.findVisibleByIds(context.actor.viewer, ids))),
      domains: new DataLoader(async (ids) => {
        const rows = await this.organisations.domainsOf(ids);
        return ids.map((id) => rows.filter((r) => r.organisationId === id).map((r) => r.domain));
      }),
    }));
  }
}
