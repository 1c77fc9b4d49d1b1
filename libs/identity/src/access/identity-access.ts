import type { Actor } from '../auth/actor.js';
import { Permission, Role } from '../auth/permissions.js';
import type { MemberEntity } from '../members/member.entity.js';

/**
 * The operator: whoever runs the command-line tool (or the demo seeder) on the server, with the database's
 * credentials. Not a member, and never built from a request: the authentication middleware builds only {@link Actor}s
 * (a member, a member's token, or the anonymous caller), so no request can act as the operator. The private member
 * keeps the type nominal, so no other object passes for it.
 */
export class Operator {
  static readonly instance = new Operator();

  /** Changes the operator makes are recorded with no member as their author. */
  readonly memberId = null;

  private readonly operator = true;

  private constructor() {}
}

/** The one operator: what the command-line tool and the demo seeder pass where a request passes its {@link Actor}. */
export const OPERATOR = Operator.instance;

/** Whether `actor` is the operator rather than a caller of the API or the web pages. */
export function isOperator(actor: Actor | Operator): actor is Operator {
  return actor instanceof Operator;
}

/**
 * The one form of "platform admin, or admin of this organisation": holding the role, whatever the token's scopes.
 * The rules below add the permission a token must also carry, where the question needs one.
 */
function adminOf(actor: Actor, organisationId: string): boolean {
  return actor.hasRole(Role.PLATFORM_ADMIN) || (actor.hasRole(Role.ORG_ADMIN) && actor.organisationId === organisationId);
}

/** Create and change organisations and their e-mail domains: platform admins, and the operator. */
export function mayManageOrganisations(actor: Actor | Operator): boolean {
  return isOperator(actor) || actor.can(Permission.ORGANISATION_MANAGE);
}

/** List an organisation's members: its admins and platform admins. */
export function mayManageMembers(actor: Actor, organisationId: string): boolean {
  return actor.can(Permission.MEMBER_MANAGE) && adminOf(actor, organisationId);
}

/**
 * Change `member`'s roles or deactivate them: whoever manages their organisation's members, except that only
 * platform admins manage platform admins (otherwise one organisation's admin could demote or lock out the
 * platform's); and the operator, everyone.
 */
export function mayManageMember(actor: Actor | Operator, member: Pick<MemberEntity, 'organisationId' | 'roles'>): boolean {
  if (isOperator(actor)) return true;
  return mayManageMembers(actor, member.organisationId) && (actor.hasRole(Role.PLATFORM_ADMIN) || !member.roles.includes(Role.PLATFORM_ADMIN));
}

/**
 * Grant or remove the roles that reach beyond one organisation (`PLATFORM_GRANTED_ROLES`): platform admins, and
 * the operator. Anyone else who manages a member leaves those roles as they are.
 */
export function mayGrantPlatformRoles(actor: Actor | Operator): boolean {
  return isOperator(actor) || actor.hasRole(Role.PLATFORM_ADMIN);
}

/** See, configure and refresh an organisation's identity providers: its admins, platform admins, and the operator. */
export function mayManageIdentityProviders(actor: Actor | Operator, organisationId: string): boolean {
  return isOperator(actor) || (actor.can(Permission.IDP_MANAGE) && adminOf(actor, organisationId));
}

/**
 * Confirm a change of an identity provider's trust (entity ID, signing certificates, metadata source), which lets
 * platform admins sign in through it again: platform admins, and the operator, whose own changes are confirmed as
 * saved.
 */
export function mayConfirmIdentityProviderTrust(actor: Actor | Operator): boolean {
  return isOperator(actor) || actor.hasRole(Role.PLATFORM_ADMIN);
}

/** Read `organisationId`'s audit log: its admins and platform admins. */
export function mayReadAudit(actor: Actor, organisationId: string): boolean {
  return actor.can(Permission.AUDIT_READ) && adminOf(actor, organisationId);
}

/** Read the whole audit log, every organisation's events and those of no organisation: platform admins. */
export function mayReadEveryAudit(actor: Actor): boolean {
  return actor.can(Permission.AUDIT_READ) && actor.hasRole(Role.PLATFORM_ADMIN);
}

/**
 * Read `member`'s e-mail address: the member, their organisation's admins and platform admins, when reading as a
 * member (a token without the read scope reads as the public, which sees no address).
 */
export function mayReadEmail(actor: Actor, member: Pick<MemberEntity, 'id' | 'organisationId'>): boolean {
  if (!actor.viewer.memberId) return false;
  return actor.memberId === member.id || adminOf(actor, member.organisationId);
}
