import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import { Actor } from './actor.js';
import { ACCESS_RULE, accessAllows, requestOf, type AccessRule } from './auth.decorators.js';

/**
 * Global guard: applies each endpoint's declared {@link AccessRule}. An endpoint that declares none is denied, so a
 * forgotten declaration fails closed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    const request = requestOf(context) as Request & { actor?: Actor; authError?: IdentityError };
    if (request.authError) throw request.authError;
    const actor = request.actor ?? Actor.anonymous();
    if (!rule) {
      this.logger.error({ msg: 'endpoint without an access declaration was called', handler: context.getHandler().name });
      throw new IdentityError(IdentityErrorCode.PERMISSION_DENIED, 'This operation is not available.');
    }
    if (accessAllows(rule, actor)) return true;
    if (!actor.signedIn) {
      throw new IdentityError(IdentityErrorCode.UNAUTHENTICATED, 'Sign in, or send an API token as "Authorization: Bearer pe_…".');
    }
    const permission = rule.kind === 'permission' ? rule.permission : 'signed-in';
    throw new IdentityError(
      IdentityErrorCode.PERMISSION_DENIED,
      actor.scopes
        ? `This needs the "${permission}" permission, which your roles or this token's scopes do not grant.`
        : `This needs the "${permission}" permission, which your roles do not grant.`,
    );
  }
}
