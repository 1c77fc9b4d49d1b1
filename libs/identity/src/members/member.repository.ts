import { Injectable } from '@nestjs/common';
import { entitiesByIds, TransactionHost } from '#database';
import { IsNull } from 'typeorm';
import type { Viewer } from '../auth/actor.js';
import type { Role } from '../auth/permissions.js';
import { MemberEntity } from './member.entity.js';

@Injectable()
export class MemberRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(MemberEntity);
  }

  /**
   * Members are visible to signed-in members only; the public sees none.
   */
  findVisibleByIds(viewer: Viewer, ids: readonly string[]): Promise<MemberEntity[]> {
    if (!viewer.memberId) return Promise.resolve([]);
    return entitiesByIds(this.tx.manager, MemberEntity, ids);
  }

  /** For authentication and the operator CLI only: no viewer, since nobody is signed in yet. */
  findForSignIn(id: string): Promise<MemberEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** An organisation's members, deactivated ones too, by name then id; `first + 1` rows after the key. */
  listOfOrganisation(organisationId: string, first: number, after?: { name: string; id: string }): Promise<MemberEntity[]> {
    const qb = this.repo.createQueryBuilder('m').where('m.organisation_id = :organisationId', { organisationId });
    if (after) qb.andWhere('(m.name, m.id) > (:afterName, CAST(:afterId AS uuid))', { afterName: after.name, afterId: after.id });
    return qb
      .orderBy('m.name', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(first + 1)
      .getMany();
  }

  findByEmail(email: string): Promise<MemberEntity | null> {
    return this.repo.findOneBy({ email: email.toLowerCase() });
  }

  /** The member, its row locked to the end of the transaction: two first sign-ins claiming one invitation take turns. */
  findForUpdate(id: string): Promise<MemberEntity | null> {
    return this.repo.createQueryBuilder('m').setLock('pessimistic_write').where('m.id = :id', { id }).getOne();
  }

  async insert(values: Pick<MemberEntity, 'organisationId' | 'email' | 'name' | 'roles'>): Promise<MemberEntity> {
    const result = await this.repo.insert({ ...values, email: values.email.toLowerCase() });
    return this.repo.findOneByOrFail({ id: result.identifiers[0]!.id as string });
  }

  async update(id: string, values: Partial<Pick<MemberEntity, 'name' | 'email' | 'roles'>>): Promise<void> {
    await this.repo.update({ id }, values);
  }

  async setRoles(id: string, roles: Role[]): Promise<void> {
    await this.repo.update({ id }, { roles });
  }

  /** Marks the member deactivated unless already; true when this call did it. */
  async deactivate(id: string, at: Date): Promise<boolean> {
    const result = await this.repo.update({ id, deactivatedAt: IsNull() }, { deactivatedAt: at });
    return (result.affected ?? 0) > 0;
  }
}
