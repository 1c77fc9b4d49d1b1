import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import { Actor } from './actor.js';
import type { Permission } from './permissions.js';

export const ACCESS_RULE = 'practice-exchange:access-rule';

/** How an endpoint is reached; every query, mutation and route declares exactly one. */
export type AccessRule = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'permission'; permission: Permission };

/** Anyone, signed in or not; the read rules still decide what they see. */
export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

/** Any signed-in member, with no particular permission (their own tokens, say). */
export const NoPermissionRequired = () => SetMetadata(ACCESS_RULE, { kind: 'signed-in' } satisfies AccessRule);

/** Signed-in members whose roles (and token scopes) grant `permission`. */
export const RequirePermission = (permission: Permission) => SetMetadata(ACCESS_RULE, { kind: 'permission', permission } satisfies AccessRule);

/**
 * Whether `actor` may reach what `rule` guards: the one check behind every endpoint ({@link AccessGuard}) and every
 * `node(id:)` type, so an object is never readable by ID to a caller who may not call its list.
 */
export function accessAllows(rule: AccessRule, actor: Actor): boolean {
  if (rule.kind === 'public') return true;
  if (!actor.signedIn) return false;
  return rule.kind === 'signed-in' || actor.can(rule.permission);
}

/**
 * The rule `method` of `resolver` declares: what a `node(id:)` type borrows from the query that lists that type.
 * Throws at start-up when the method declares none, so a registration cannot silently fall back to "anyone".
 */
export function accessRuleOf<T extends object>(resolver: abstract new (...args: never[]) => T, method: keyof T & string): AccessRule {
  const handler = Object.getOwnPropertyDescriptor(resolver.prototype, method)?.value as object | undefined;
  const rule = handler ? (Reflect.getMetadata(ACCESS_RULE, handler) as AccessRule | undefined) : undefined;
  if (!rule) throw new Error(`${resolver.name}.${method} declares no access rule to borrow`);
  return rule;
}

/** The request of a GraphQL or plain HTTP handler. */
export function requestOf(context: ExecutionContext): Request {
  return context.getType<string>() === 'graphql'
    ? GqlExecutionContext.create(context).getContext<{ req: Request }>().req
    : context.switchToHttp().getRequest<Request>();
}

/** The caller, as the authentication middleware found it. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  return (requestOf(context) as Request & { actor?: Actor }).actor ?? Actor.anonymous();
});
