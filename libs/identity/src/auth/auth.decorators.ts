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
export const RequirePermission = (permission: Permission) =>
  SetMetadata(ACCESS_RULE, { kind: 'permission', permission } satisfies AccessRule);

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
