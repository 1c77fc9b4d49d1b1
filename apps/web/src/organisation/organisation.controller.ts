import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import {
  AuditService,
  IdentityError,
  IdentityErrorCode,
  IdentityLoaders,
  MemberService,
  Permission,
  PLATFORM_GRANTED_ROLES,
  RequirePermission,
  Role,
  SetMemberRolesInput,
  cursorKeyAfter,
  encodeCursor,
  mayGrantPlatformRoles,
  mayManageMember,
  requireGlobalId,
  toGlobalId,
  toMember,
  type MemberEntity,
} from '#identity';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request, Response } from 'express';
import type { Translate } from '../i18n/messages.js';
import { dateTimeFormat } from '../admin/date-times.js';
import { pageLinks, readPaging } from '../admin/paging.js';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { formErrors, many, single, type FieldError } from '../forms/form-errors.js';
import { actorOf, loaderContext, pageContext } from '../page-context.js';
import { WebViews } from '../rendering/web-views.js';
import { AUDIT_ACTION_KEYS, OrganisationScopes, ROLE_KEYS, ROLE_ORDER, roleNames } from './organisation-scope.js';

export const MEMBERS_PAGE_SIZE = 50;
export const AUDIT_PAGE_SIZE = 25;

const DONE_KEYS: Record<string, string> = {
  roles: 'organisation.done.roles',
  deactivated: 'organisation.done.deactivated',
};

/** What the audit log names an event's subject, by its type. */
const SUBJECT_KEYS: Record<string, string> = {
  Member: 'organisation.audit.subject.member',
  Organisation: 'organisation.audit.subject.organisation',
  IdentityProvider: 'organisation.audit.subject.identityProvider',
  ApiToken: 'organisation.audit.subject.apiToken',
  Session: 'organisation.audit.subject.session',
  Practice: 'organisation.audit.subject.practice',
  Comment: 'organisation.audit.subject.comment',
  Flag: 'organisation.audit.subject.flag',
};

/** The audit details' names, in the page's language; others show as recorded. */
const DETAIL_KEYS: Record<string, string> = {
  key: 'organisation.audit.detail.key',
  entityId: 'organisation.audit.detail.entityId',
  certificates: 'organisation.audit.detail.certificates',
  created: 'organisation.audit.detail.created',
  trustChanged: 'organisation.audit.detail.trustChanged',
  trustConfirmed: 'organisation.audit.detail.trustConfirmed',
  trustChangedAt: 'organisation.audit.detail.trustChangedAt',
  metadataUrl: 'organisation.audit.detail.metadataUrl',
  roles: 'organisation.audit.detail.roles',
  before: 'organisation.audit.detail.before',
  after: 'organisation.audit.detail.after',
  emailDomains: 'organisation.audit.detail.emailDomains',
  scopes: 'organisation.audit.detail.scopes',
  expiresAt: 'organisation.audit.detail.expiresAt',
  identityProvider: 'organisation.audit.detail.identityProvider',
  tokensRevoked: 'organisation.audit.detail.tokensRevoked',
  sessionsEnded: 'organisation.audit.detail.sessionsEnded',
  reason: 'organisation.audit.detail.reason',
  from: 'organisation.audit.detail.from',
  to: 'organisation.audit.detail.to',
  revision: 'organisation.audit.detail.revision',
  action: 'organisation.audit.detail.action',
  flags: 'organisation.audit.detail.flags',
  on: 'organisation.audit.detail.on',
};

/** Ids that mean nothing to a reader of the log. */
const HIDDEN_DETAILS = new Set(['viaToken', 'flagId', 'trustChangedByMemberId']);

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * "My organisation": its members and their roles, deactivation, and its audit log, through MemberService and
 * AuditService as the setMemberRoles and deactivateMember mutations and the auditEvents query use them. An
 * organisation admin sees their own organisation; a platform admin any (`?org=<slug>`).
 */
@Controller('organisation')
@UseFilters(WebExceptionFilter)
export class OrganisationController {
  constructor(
    private readonly views: WebViews,
    private readonly scopes: OrganisationScopes,
    private readonly members: MemberService,
    private readonly audit: AuditService,
    private readonly identity: IdentityLoaders,
  ) {}

  @RequirePermission(Permission.MEMBER_MANAGE)
  @Get()
  async memberList(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const { t } = pageContext(res);
    const actor = actorOf(req);
    const scope = await this.scopes.of(req, query.org);
    const paging = readPaging(query);
    const cursor = cursorKeyAfter(paging.after, { name: 'text', id: 'uuid' });
    const rows = await this.members.listOfOrganisation(actor, scope.organisation.id, MEMBERS_PAGE_SIZE, cursor);
    const shown = rows.slice(0, MEMBERS_PAGE_SIZE);
    const last = shown.at(-1);
    const nextCursor = rows.length > MEMBERS_PAGE_SIZE && last ? encodeCursor([last.name, last.id]) : null;
    const done = DONE_KEYS[single(query.done)];
    this.views.render(res, 'pages/organisation/members.njk', {
      scope,
      picksAny: OrganisationScopes.picksAny(req),
      subNavigation: this.scopes.subNavigation(scope, 'members', t),
      members: shown.map((member) => {
        const view = toMember(member, actor);
        return {
          id: view.id,
          name: view.name,
          email: view.email,
          roles: roleNames(member.roles, t),
          active: view.active,
          manageable: view.active && mayManageMember(actor, member),
          isYou: member.id === actor.memberId,
        };
      }),
      pagination: pageLinks('/organisation', { org: scope.own ? undefined : scope.organisation.slug }, paging, nextCursor),
      done: done ? t(done) : null,
    });
  }

  @RequirePermission(Permission.MEMBER_MANAGE)
  @Get('members/:id/roles')
  async rolesForm(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const member = await this.members.requireManageable(actorOf(req), requireGlobalId(id, 'Member'));
    await this.renderRoles(req, res, member, member.roles, []);
  }

  /** The setMemberRoles mutation: the service decides who may grant what, and its refusal is shown on the form. */
  @RequirePermission(Permission.MEMBER_MANAGE)
  @Post('members/:id/roles')
  async setRoles(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { t } = pageContext(res);
    const actor = actorOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const member = await this.members.requireManageable(actor, requireGlobalId(id, 'Member'));
    const wanted = many(body.roles);
    const input = plainToInstance(SetMemberRolesInput, { id, roles: wanted });
    if ((await validate(input)).length) {
      await this.renderRoles(req, res, member, wanted, [{ field: 'roles', text: t('organisation.roles.errors.invalid') }], 400);
      return;
    }
    try {
      await this.members.setRoles(actor, member.id, input.roles);
    } catch (error) {
      if (error instanceof IdentityError && error.code === IdentityErrorCode.ROLE_NOT_ASSIGNABLE) {
        await this.renderRoles(req, res, member, wanted, [{ field: 'roles', text: t('organisation.roles.errors.platformOnly') }], 400);
        return;
      }
      if (error instanceof IdentityError && error.code === IdentityErrorCode.INVALID_INPUT) {
        await this.renderRoles(req, res, member, wanted, [{ field: 'roles', text: t('organisation.roles.errors.deactivated') }], 400);
        return;
      }
      throw error;
    }
    const query = await this.queryOf(req, member);
    res.redirect(303, `/organisation${query}${query ? '&' : '?'}done=roles`);
  }

  @RequirePermission(Permission.MEMBER_MANAGE)
  @Get('members/:id/deactivate')
  async deactivateForm(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const member = await this.members.requireManageable(actorOf(req), requireGlobalId(id, 'Member'));
    this.views.render(res, 'pages/organisation/deactivate.njk', {
      member: { id, name: member.name, active: member.deactivatedAt === null },
      isYou: member.id === actorOf(req).memberId,
      back: `/organisation${await this.queryOf(req, member)}`,
    });
  }

  /** The deactivateMember mutation, after the confirmation page. */
  @RequirePermission(Permission.MEMBER_MANAGE)
  @Post('members/:id/deactivate')
  async deactivate(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const member = await this.members.deactivate(actorOf(req), requireGlobalId(id, 'Member'));
    const query = await this.queryOf(req, member);
    res.redirect(303, `/organisation${query}${query ? '&' : '?'}done=deactivated`);
  }

  @RequirePermission(Permission.AUDIT_READ)
  @Get('audit')
  async auditLog(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const { t, lang } = pageContext(res);
    const scope = await this.scopes.of(req, query.org);
    const paging = readPaging(query);
    const cursor = cursorKeyAfter(paging.after, { occurredAt: 'timestamp', id: 'uuid' });
    const rows = await this.audit.list(actorOf(req), { organisationId: scope.organisation.id }, AUDIT_PAGE_SIZE, cursor);
    const shown = rows.slice(0, AUDIT_PAGE_SIZE);
    const last = shown.at(-1);
    const nextCursor = rows.length > AUDIT_PAGE_SIZE && last ? encodeCursor([last.occurredAt.toISOString(), last.id]) : null;
    const identity = this.identity.for(loaderContext(req));
    const memberIds = [...new Set(shown.flatMap((e) => [e.actorMemberId, e.subjectType === 'Member' ? e.subjectId : null]).filter((id): id is string => !!id))];
    const people = new Map((await identity.member.loadMany(memberIds)).filter((m): m is MemberEntity => !!m && !(m instanceof Error)).map((m) => [m.id, m]));
    const when = dateTimeFormat(lang);
    this.views.render(res, 'pages/organisation/audit.njk', {
      scope,
      subNavigation: this.scopes.subNavigation(scope, 'audit', t),
      events: shown.map((event) => ({
        when: when(event.occurredAt),
        action: t(AUDIT_ACTION_KEYS[event.action]),
        who: event.actorMemberId ? (people.get(event.actorMemberId)?.name ?? t('organisation.audit.someone')) : t('organisation.audit.system'),
        subject: this.subjectText(event.subjectType, event.subjectId, people, t),
        details: this.detailsText(event.details, t, when),
      })),
      pagination: pageLinks('/organisation/audit', { org: scope.own ? undefined : scope.organisation.slug }, paging, nextCursor),
    });
  }

  private subjectText(type: string | null, id: string | null, people: Map<string, MemberEntity>, t: Translate): string {
    if (!type) return '';
    const kind = SUBJECT_KEYS[type] ? t(SUBJECT_KEYS[type]) : type;
    const person = type === 'Member' && id ? people.get(id) : undefined;
    return person ? `${kind}: ${person.name}` : kind;
  }

  /**
   * An event's details as short "name: value" lines. They hold ids and counts only, never content or secrets (the
   * audit service's rule); names, roles, yes/no and dates are in the page's language, and bare ids are left out.
   */
  private detailsText(details: Record<string, unknown>, t: Translate, when: (value: Date) => string): string[] {
    const value = (v: unknown): string => {
      if (Array.isArray(v))
        return v.map((item) => (typeof item === 'string' && item in ROLE_KEYS ? t(ROLE_KEYS[item as Role].name) : String(item))).join(', ') || '–';
      if (typeof v === 'boolean') return t(v ? 'organisation.audit.yes' : 'organisation.audit.no');
      if (typeof v === 'string' && ISO_INSTANT.test(v)) return when(new Date(v));
      if (v === null || v === undefined || v === '') return '–';
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    };
    return Object.entries(details)
      .filter(([name]) => !HIDDEN_DETAILS.has(name))
      .map(([name, v]) => `${DETAIL_KEYS[name] ? t(DETAIL_KEYS[name]) : name}: ${value(v)}`);
  }

  private async renderRoles(req: Request, res: Response, member: MemberEntity, checked: string[], errors: FieldError[], status = 200): Promise<void> {
    const { t } = pageContext(res);
    const actor = actorOf(req);
    // Roles that reach beyond one organisation are granted by platform admins only: anyone else sees them explained
    // beside the form, not as checkboxes they cannot use (disabled controls are hard to perceive and to explain).
    const platformOnly = !mayGrantPlatformRoles(actor);
    const locked = platformOnly ? PLATFORM_GRANTED_ROLES : [];
    this.views.render(
      res,
      'pages/organisation/roles.njk',
      {
        member: { id: toGlobalId('Member', member.id), name: member.name },
        items: ROLE_ORDER.filter((role) => !locked.includes(role)).map((role) => ({
          value: role,
          text: t(ROLE_KEYS[role].name),
          hint: { text: t(ROLE_KEYS[role].hint) },
          checked: checked.includes(role),
        })),
        locked: locked.map((role) => ({ name: t(ROLE_KEYS[role].name), held: member.roles.includes(role) })),
        lockedNames: locked.map((role) => t(ROLE_KEYS[role].name)).join(', '),
        // The form sends what the member keeps of them, as it is.
        kept: member.roles.filter((role) => locked.includes(role)),
        back: `/organisation${await this.queryOf(req, member)}`,
        errors: formErrors(errors),
      },
      status,
    );
  }

  /** `?org=` of the member's organisation when it is not the person's own. */
  private async queryOf(req: Request, member: Pick<MemberEntity, 'organisationId'>): Promise<string> {
    return (await this.scopes.ofId(req, member.organisationId)).query;
  }
}
