import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import { IsNull } from 'typeorm';
import type { Role, TokenScope } from '../auth/permissions.js';
import { ApiTokenEntity } from './api-token.entity.js';

/** A token's row and its member's, as authentication reads them. */
export interface TokenCredentials {
  id: string;
  secretHash: Buffer;
  scopes: TokenScope[];
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  memberId: string;
  organisationId: string;
  roles: Role[];
  deactivatedAt: Date | null;
}

@Injectable()
export class ApiTokenRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(ApiTokenEntity);
  }

  newId(): string {
    return randomUUID();
  }

  async insert(row: Pick<ApiTokenEntity, 'id' | 'memberId' | 'name' | 'scopes' | 'secretHash' | 'expiresAt' | 'createdByTokenId'>): Promise<ApiTokenEntity> {
    await this.repo.insert(row);
    return this.repo.findOneByOrFail({ id: row.id });
  }

  /** What authenticating a token needs, token and member, in one statement (it runs on every API call). */
  async findForAuthentication(id: string): Promise<TokenCredentials | null> {
    const rows: TokenCredentials[] = await this.tx.manager.query(
      `SELECT t.id, t.secret_hash AS "secretHash", t.scopes::text[] AS scopes, t.expires_at AS "expiresAt", t.revoked_at AS "revokedAt",
              t.last_used_at AS "lastUsedAt", m.id AS "memberId", m.organisation_id AS "organisationId", m.roles::text[] AS roles,
              m.deactivated_at AS "deactivatedAt"
         FROM api_token t JOIN member m ON m.id = t.member_id
        WHERE t.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The owner's tokens, newest first. */
  listOfMember(memberId: string): Promise<ApiTokenEntity[]> {
    return this.repo.find({ where: { memberId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  findById(id: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** The member's unrevoked tokens called `name`, newest first (names are not unique). */
  findActiveOfMemberByName(memberId: string, name: string): Promise<ApiTokenEntity[]> {
    return this.repo.find({ where: { memberId, name, revokedAt: IsNull() }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  findOfMember(memberId: string, id: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ id, memberId });
  }

  /** Records use at most once a minute per token, so busy integrations do not write on every call. */
  async touch(id: string, at: Date): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: at })
      .where('id = :id AND (last_used_at IS NULL OR last_used_at < :stale)', { id, stale: new Date(at.getTime() - 60_000) })
      .execute();
  }

  /**
   * Serialises minting and revoking among one member's tokens until the transaction ends, so a token minted while
   * its parent is being revoked is either seen by the revocation or refused because the parent is revoked.
   */
  async lockMemberTokens(memberId: string): Promise<void> {
    await this.tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`api-tokens:${memberId}`]);
  }

  /**
   * Revokes the token and every token minted from it, at any depth, in one statement.
   * @returns the ids this call revoked (those already revoked are left as they were).
   */
  async revokeWithDescendants(id: string, at: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.tx.manager.query(
      `WITH RECURSIVE tree AS (
         SELECT id FROM api_token WHERE id = $1
         UNION
         SELECT child.id FROM api_token child JOIN tree ON child.created_by_token_id = tree.id),
       revoked AS (UPDATE api_token t SET revoked_at = $2 FROM tree WHERE t.id = tree.id AND t.revoked_at IS NULL RETURNING t.id)
       SELECT id FROM revoked`,
      [id, at],
    );
    return rows.map((r) => r.id);
  }

  async revokeAllOfMember(memberId: string, at: Date): Promise<number> {
    const result = await this.repo.update({ memberId, revokedAt: IsNull() }, { revokedAt: at });
    return result.affected ?? 0;
  }
}
