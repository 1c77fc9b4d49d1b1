import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import { MemberIdentityEntity } from './member-identity.entity.js';

@Injectable()
export class MemberIdentityRepository {
  constructor(private readonly tx: TransactionHost) {}

  find(identityProviderId: string, nameId: string): Promise<MemberIdentityEntity | null> {
    return this.tx.manager.getRepository(MemberIdentityEntity).findOne({ where: { identityProviderId, nameId }, relations: { member: true } });
  }

  /** Whether any IdP subject is linked to the member: one made by the operator and never signed in has none. */
  async anyOfMember(memberId: string): Promise<boolean> {
    return this.tx.manager.getRepository(MemberIdentityEntity).existsBy({ memberId });
  }

  async insert(values: Pick<MemberIdentityEntity, 'identityProviderId' | 'nameId' | 'nameIdFormat' | 'memberId'>): Promise<void> {
    await this.tx.manager.getRepository(MemberIdentityEntity).insert(values);
  }
}
