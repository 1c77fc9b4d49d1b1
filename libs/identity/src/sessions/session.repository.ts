import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import { IsNull } from 'typeorm';
import { MemberEntity } from '../members/member.entity.js';
import type { Role } from '../auth/permissions.js';
import { SessionEntity } from './session.entity.js';

/** A session's row and its member's, as authentication reads them. */
export interface SessionCredentials {
  id: string;
  secretHash: Buffer;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  memberId: string;
  organisationId: string;
  roles: Role[];
  deactivatedAt: Date | null;
}

@Injectable()
export class SessionRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(SessionEntity);
  }

  async insert(
    values: Pick<SessionEntity, 'id' | 'memberId' | 'secretHash' | 'lastSeenAt' | 'expiresAt' | 'identityProviderId' | 'nameId' | 'sessionIndex' | 'userAgent'>,
  ): Promise<SessionEntity> {
    await this.repo.insert(values);
    return this.repo.findOneByOrFail({ id: values.id });
  }

  /** What authenticating a session needs, session and member, in one statement (it runs on every signed-in request). */
  async findForAuthentication(id: string): Promise<SessionCredentials | null> {
    const rows: SessionCredentials[] = await this.tx.manager.query(
      `SELECT s.id, s.secret_hash AS "secretHash", s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt", s.revoked_at AS "revokedAt",
              m.id AS "memberId", m.organisation_id AS "organisationId", m.roles::text[] AS roles, m.deactivated_at AS "deactivatedAt"
         FROM session s JOIN member m ON m.id = s.member_id
        WHERE s.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findWithMember(id: string): Promise<{ session: SessionEntity; member: MemberEntity } | null> {
    const session = await this.repo.findOne({ where: { id }, relations: { member: true } });
    return session?.member ? { session, member: session.member } : null;
  }

  /** The owner's live sessions (not revoked, not expired, not idle since `activeSince`), newest first. */
  listLiveOfMember(memberId: string, now: Date, activeSince: Date): Promise<SessionEntity[]> {
    return this.repo
      .createQueryBuilder('s')
      .where('s.member_id = :memberId AND s.revoked_at IS NULL AND s.expires_at > :now AND s.last_seen_at > :activeSince', { memberId, now, activeSince })
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .getMany();
  }

  findOfMember(memberId: string, id: string): Promise<SessionEntity | null> {
    return this.repo.findOneBy({ id, memberId });
  }

  /** Records activity at most once a minute, so a busy page does not write on every request. */
  async touch(id: string, at: Date): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ lastSeenAt: at })
      .where('id = :id AND last_seen_at < :stale', { id, stale: new Date(at.getTime() - 60_000) })
      .execute();
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: at });
  }

  async revokeAllOfMember(memberId: string, at: Date): Promise<number> {
    const result = await this.repo.update({ memberId, revokedAt: IsNull() }, { revokedAt: at });
    return result.affected ?? 0;
  }

  /** Ends the sessions an IdP's single-logout request names (all of the NameID's when no SessionIndex is given). */
  async revokeByIdentity(identityProviderId: string, nameId: string, sessionIndex: string | null, at: Date): Promise<number> {
    const qb = this.repo
      .createQueryBuilder()
      .update()
      .set({ revokedAt: at })
      .where('identity_provider_id = :identityProviderId AND name_id = :nameId AND revoked_at IS NULL', { identityProviderId, nameId });
    if (sessionIndex) qb.andWhere('session_index = :sessionIndex', { sessionIndex });
    return (await qb.execute()).affected ?? 0;
  }
}
