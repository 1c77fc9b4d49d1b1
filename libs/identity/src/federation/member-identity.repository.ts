import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import { MemberIdentityEntity } from './member-identity.entity.js';

@Injectable()
export class MemberIdentityRepository {
  constructor(private readonly tx: TransactionHost) {}

  find(identityProviderId: string, nameId: string): Promise<MemberIdentityEntity | null> {
    return this.tx.manager.getRepository(MemberIdentityEntity).findOne({ where: { identityProviderId, nameId }, relations: { member: true } });
  }

  async insert(values: Pick<MemberIdentityEntity, 'identityProviderId' | 'nameId' | 'nameIdFormat' | 'memberId'>): Promise<void> {
    await this.tx.manager.getRepository(MemberIdentityEntity).insert(values);
  }
}
