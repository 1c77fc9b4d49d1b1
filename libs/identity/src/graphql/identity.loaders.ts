import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { MemberEntity } from '../members/member.entity.js';
import { MemberRepository } from '../members/member.repository.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import { byIds, groupBy, groupsByIds } from './rows-by-key.js';
import { loadersOf, type RequestContext } from './request-context.js';

export interface IdentityLoaderGroup {
  organisation: DataLoader<string, OrganisationEntity | null>;
  /** Applies the member read rule: empty for the public. */
  member: DataLoader<string, MemberEntity | null>;
  domains: DataLoader<string, string[]>;
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
      domains: new DataLoader(async (ids) =>
        groupsByIds(
          ids,
          groupBy(
            await this.organisations.domainsOf(ids),
            (r) => r.organisationId,
            (r) => r.domain,
          ),
        ),
      ),
    }));
  }
}
