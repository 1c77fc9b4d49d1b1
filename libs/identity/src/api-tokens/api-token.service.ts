import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '#database';
import { AuditAction } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { Actor } from '../auth/actor.js';
import { Permission, TokenScope } from '../auth/permissions.js';
import { UseThrottle } from '../auth/use-throttle.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import type { MemberEntity } from '../members/member.entity.js';
import { MemberRepository } from '../members/member.repository.js';
import type { ApiTokenEntity } from './api-token.entity.js';
import { ApiTokenRepository } from './api-token.repository.js';
import { mintToken, parseToken, secretMatches } from './token-format.js';

const DAY = 86_400_000;
export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 366;

export interface NewToken {
  name: string;
  scopes: TokenScope[];
  expiresAt?: Date | null;
}

@Injectable()
export class ApiTokenService {
  private readonly logger = new Logger(ApiTokenService.name);
  private readonly useThrottle = new UseThrottle();

  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly members: MemberRepository,
    private readonly audit: AuditService,
    private readonly tx: TransactionHost,
  ) {}

  /**
   * The actor a bearer token stands for. Unknown, malformed, expired and revoked tokens, and tokens of deactivated
   * members, are refused alike.
   */
  async authenticate(bearer: string, now = new Date()): Promise<Actor> {
    const parsed = parseToken(bearer);
    const found = parsed && (await this.tokens.findForAuthentication(parsed.id));
    const valid = parsed && found && secretMatches(parsed.secret, found.secretHash) && !found.revokedAt && found.expiresAt > now && !found.deactivatedAt;
    if (!valid || !found) {
      throw new IdentityError(
        IdentityErrorCode.TOKEN_INVALID,
        'The API token is unknown, expired or revoked. Create a new one with createApiToken or the CLI.',
      );
    }
    if (this.useThrottle.due(found.id, found.lastUsedAt, now)) await this.tokens.touch(found.id, now);
    return Actor.member(found.memberId, found.organisationId, found.roles, { id: found.id, scopes: found.scopes, expiresAt: found.expiresAt });
  }

  /**
   * Creates a token for the actor. A token never mints a wider or longer-lived one than itself.
   * @returns the stored row and the token, which is shown this once.
   */
  async create(actor: Actor, input: NewToken, now = new Date()): Promise<{ apiToken: ApiTokenEntity; token: string }> {
    if (!actor.memberId || !actor.can(Permission.TOKEN_MANAGE)) {
      throw new IdentityError(IdentityErrorCode.PERMISSION_DENIED, 'Creating a token needs a session or a token with the admin scope.');
    }
    const scopes = [...new Set(input.scopes)];
    const expiresAt = input.expiresAt ?? new Date(Math.min(now.getTime() + DEFAULT_TOKEN_DAYS * DAY, actor.tokenExpiresAt?.getTime() ?? Infinity));
    if (actor.scopes) {
      const wider = scopes.filter((s) => !actor.scopes!.includes(s));
      if (wider.length) {
        throw new IdentityError(
          IdentityErrorCode.TOKEN_SCOPE_TOO_WIDE,
          `scopes: this token may not grant ${wider.join(', ')}, which it does not hold itself`,
          'scopes',
        );
      }
    }
    if (actor.tokenExpiresAt && expiresAt > actor.tokenExpiresAt) {
      throw new IdentityError(
        IdentityErrorCode.TOKEN_EXPIRY_TOO_LATE,
        `expiresAt: must not be later than this token's own expiry (${actor.tokenExpiresAt.toISOString()})`,
        'expiresAt',
      );
    }
    return this.issue(actor.memberId, actor.organisationId, actor.tokenId, { name: input.name, scopes, expiresAt }, now);
  }

  /** For the operator CLI and the demo start: a token for `member` with no minting token. */
  async createForMember(member: MemberEntity, input: NewToken, now = new Date()): Promise<{ apiToken: ApiTokenEntity; token: string }> {
    if (member.deactivatedAt) throw new IdentityError(IdentityErrorCode.INVALID_INPUT, `email: ${member.email} has been deactivated`, 'email');
    const expiresAt = input.expiresAt ?? new Date(now.getTime() + DEFAULT_TOKEN_DAYS * DAY);
    return this.issue(member.id, member.organisationId, null, { name: input.name, scopes: [...new Set(input.scopes)], expiresAt }, now);
  }

  private async issue(memberId: string, organisationId: string | null, parentId: string | null, input: Required<NewToken> & { expiresAt: Date }, now: Date) {
    if (input.scopes.length === 0)
      throw new IdentityError(IdentityErrorCode.INVALID_INPUT, 'scopes: name at least one of read, write, moderate, admin', 'scopes');
    if (input.expiresAt <= now) throw new IdentityError(IdentityErrorCode.INVALID_INPUT, 'expiresAt: must be in the future', 'expiresAt');
    if (input.expiresAt.getTime() > now.getTime() + MAX_TOKEN_DAYS * DAY) {
      throw new IdentityError(IdentityErrorCode.INVALID_INPUT, `expiresAt: at most ${MAX_TOKEN_DAYS} days ahead`, 'expiresAt');
    }
    return this.tx.run(async () => {
      if (parentId) {
        // Under the member's token lock, so a concurrent revocation of the parent cannot miss this token.
        await this.tokens.lockMemberTokens(memberId);
        const parent = await this.tokens.findOfMember(memberId, parentId);
        if (!parent || parent.revokedAt) throw new IdentityError(IdentityErrorCode.TOKEN_INVALID, 'The token used to create this one has been revoked.');
      }
      const id = this.tokens.newId();
      const { token, secretHash } = mintToken(id);
      const apiToken = await this.tokens.insert({
        id,
        memberId,
        name: input.name,
        scopes: input.scopes,
        secretHash,
        expiresAt: input.expiresAt,
        createdByTokenId: parentId,
      });
      await this.audit.record({
        action: AuditAction.TOKEN_CREATED,
        actorMemberId: memberId,
        organisationId,
        subjectType: 'ApiToken',
        subjectId: id,
        details: { scopes: input.scopes, expiresAt: input.expiresAt.toISOString(), viaToken: parentId },
      });
      return { apiToken, token };
    });
  }

  list(actor: Actor): Promise<ApiTokenEntity[]> {
    return actor.memberId ? this.tokens.listOfMember(actor.memberId) : Promise.resolve([]);
  }

  /**
   * Revokes one of the actor's own tokens and every token minted from it, at any depth; each one revoked is audited.
   * Another member's token is "not found".
   */
  async revoke(actor: Actor, tokenId: string, now = new Date()): Promise<ApiTokenEntity> {
    return this.tx.run(async () => {
      const token = actor.memberId ? await this.tokens.findOfMember(actor.memberId, tokenId) : null;
      if (!token) throw new IdentityError(IdentityErrorCode.TOKEN_NOT_FOUND, 'You have no token with this ID.', 'id');
      await this.revokeTree(token, { memberId: actor.memberId, organisationId: actor.organisationId, viaToken: actor.tokenId }, now);
      return { ...token, revokedAt: token.revokedAt ?? now };
    });
  }

  /**
   * For the operator CLI: revokes a member's token, named by its id or by (member, name), and every token minted from
   * it, audited as the owner's revocation is, with no acting member.
   * @returns the token as it was, and the ids this call revoked (its own unless it was revoked before).
   * @throws IdentityError TOKEN_NOT_FOUND, or INVALID_INPUT when the name fits several unrevoked tokens.
   */
  async revokeByOperator(
    which: { id: string } | { member: MemberEntity; name: string },
    now = new Date(),
  ): Promise<{ token: ApiTokenEntity; revoked: string[] }> {
    return this.tx.run(async () => {
      let token: ApiTokenEntity | null;
      if ('id' in which) {
        token = await this.tokens.findById(which.id);
        if (!token) throw new IdentityError(IdentityErrorCode.TOKEN_NOT_FOUND, `No token has the id ${which.id}.`, 'id');
      } else {
        const named = await this.tokens.findActiveOfMemberByName(which.member.id, which.name);
        if (named.length > 1) {
          throw new IdentityError(
            IdentityErrorCode.INVALID_INPUT,
            `name: ${which.member.email} has ${named.length} unrevoked tokens named "${which.name}" (${named.map((t) => t.id).join(', ')}); name one by its id`,
            'name',
          );
        }
        token = named[0] ?? null;
        if (!token) throw new IdentityError(IdentityErrorCode.TOKEN_NOT_FOUND, `${which.member.email} has no unrevoked token named "${which.name}".`, 'name');
      }
      const owner = 'id' in which ? await this.members.findForSignIn(token.memberId) : which.member;
      const revoked = await this.revokeTree(token, { memberId: null, organisationId: owner?.organisationId ?? null, viaToken: null }, now);
      return { token, revoked };
    });
  }

  /** Revokes the token and every token minted from it, at any depth, each one audited; the ids this call revoked. */
  private async revokeTree(
    token: ApiTokenEntity,
    by: { memberId: string | null; organisationId: string | null; viaToken: string | null },
    now: Date,
  ): Promise<string[]> {
    await this.tokens.lockMemberTokens(token.memberId);
    // Even when this one was revoked before: a token minted from it must not outlive it.
    const revoked = await this.tokens.revokeWithDescendants(token.id, now);
    const minted = revoked.filter((id) => id !== token.id);
    for (const id of revoked) {
      await this.audit.record({
        action: AuditAction.TOKEN_REVOKED,
        actorMemberId: by.memberId,
        organisationId: by.organisationId,
        subjectType: 'ApiToken',
        subjectId: id,
        details: id === token.id ? { viaToken: by.viaToken, mintedRevoked: minted } : { viaToken: by.viaToken, mintedFrom: token.id },
      });
    }
    if (minted.length) this.logger.log({ msg: 'token revoked with the tokens minted from it', tokenId: token.id, minted: minted.length });
    return revoked;
  }
}
