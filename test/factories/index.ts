import type { INestApplicationContext } from '@nestjs/common';
import {
  Actor,
  IdentityProviderRepository,
  type AttributeMapping,
  type IdentityProviderEntity,
  ApiTokenService,
  MemberService,
  OPERATOR,
  OrganisationKind,
  OrganisationService,
  Role,
  TokenScope,
  toGlobalId,
  type MemberEntity,
  type OrganisationEntity,
} from '#identity';
import { AdoptionService, CommentService, FlagReason, FlagService, PracticeService, PracticeStatus, Visibility, type PracticeEntity } from '#practices';
import { unique } from '../support/unique.js';

/** An organisation with one e-mail domain of its own. */
export async function createOrganisation(
  app: INestApplicationContext,
  overrides: Partial<{ slug: string; name: string; kind: OrganisationKind; country: string; region: string }> = {},
): Promise<OrganisationEntity> {
  const slug = overrides.slug ?? `org-${unique()}`;
  return app.get(OrganisationService).upsert(OPERATOR, {
    slug,
    name: overrides.name ?? `Organisation ${slug}`,
    kind: overrides.kind ?? OrganisationKind.UK_COUNCIL,
    country: overrides.country ?? 'GB',
    region: overrides.region ?? null,
    emailDomains: [`${slug}.gov.uk`],
  });
}

export interface TestMember {
  member: MemberEntity;
  actor: Actor;
  /** An API token with every scope. */
  token: string;
  id: string;
}

/** A member of `organisation` with `roles`, and a token with every scope (so roles alone decide). */
export async function createMember(
  app: INestApplicationContext,
  organisation: OrganisationEntity,
  roles: Role[] = [Role.CONTRIBUTOR],
  scopes: TokenScope[] = Object.values(TokenScope),
): Promise<TestMember> {
  const member = await app
    .get(MemberService)
    .create({ organisationSlug: organisation.slug, email: `m-${unique()}@${organisation.slug}.gov.uk`, name: `Member ${unique()}`, roles });
  const { token } = await app.get(ApiTokenService).createForMember(member, { name: 'test', scopes });
  return { member, actor: Actor.member(member.id, member.organisationId, member.roles), token, id: toGlobalId('Member', member.id) };
}

export interface PracticeOptions {
  visibility?: Visibility;
  status?: PracticeStatus;
  audience?: OrganisationEntity[];
  title?: string;
  summary?: string;
  approach?: string;
  tags?: string[];
  publishedAt?: Date;
}

/** A practice written by `author`, published unless a DRAFT is asked for. */
export async function createPractice(
  app: INestApplicationContext,
  author: TestMember,
  options: PracticeOptions = {},
): Promise<PracticeEntity & { gid: string }> {
  const service = app.get(PracticeService);
  const created = await service.create(author.actor, {
    title: options.title ?? `Practice ${unique()}`,
    summary: options.summary ?? 'A summary of what we did.',
    problem: 'The problem we had.',
    approach: options.approach ?? 'What we did about it.',
    outcomes: 'What came of it.',
    tags: options.tags ?? ['Phishing'],
    visibility: options.visibility ?? Visibility.TLP_GREEN,
    audienceOrganisationSlugs: options.audience?.map((o) => o.slug),
  });
  let practice = created;
  const status = options.status ?? PracticeStatus.PUBLISHED;
  if (status !== PracticeStatus.DRAFT) practice = await service.publish(author.actor, created.id, options.publishedAt);
  if (status === PracticeStatus.ARCHIVED) practice = await service.archive(author.actor, created.id);
  return Object.assign(practice, { gid: toGlobalId('Practice', practice.id) });
}

export async function createComment(
  app: INestApplicationContext,
  author: TestMember,
  practice: PracticeEntity,
  body = 'A comment.',
  parentId: string | null = null,
) {
  const comment = await app.get(CommentService).add(author.actor, practice.id, body, parentId);
  return Object.assign(comment, { gid: toGlobalId('Comment', comment.id) });
}

export async function createAdoption(app: INestApplicationContext, member: TestMember, practice: PracticeEntity) {
  const adoption = await app.get(AdoptionService).record(member.actor, practice.id, 'We adopted it.', 'Worked well');
  return Object.assign(adoption, { gid: toGlobalId('Adoption', adoption.id) });
}

export async function createFlag(app: INestApplicationContext, reporter: TestMember, subjectGid: string) {
  const flag = await app.get(FlagService).flag(reporter.actor, subjectGid, FlagReason.ABUSIVE, 'Please look.');
  return Object.assign(flag, { gid: toGlobalId('Flag', flag.id) });
}

/** The keys and endpoints of a test IdP (`createTestIdp` in test/support/saml-idp.ts), as its metadata would give them. */
export interface TestIdpEndpoints {
  entityId: string;
  ssoUrl: string;
  sloUrl: string | null;
  certificateBase64: string;
}

/** Registers `idp` as `organisation`'s IdP `main`, trusted as configured by the operator, straight in the database. */
export async function createIdentityProvider(
  app: INestApplicationContext,
  organisation: OrganisationEntity,
  idp: TestIdpEndpoints,
  attributeMapping: AttributeMapping = {},
): Promise<IdentityProviderEntity> {
  const { idp: record } = await app.get(IdentityProviderRepository).save({
    organisationId: organisation.id,
    key: 'main',
    name: 'Test IdP',
    entityId: idp.entityId,
    ssoUrl: idp.ssoUrl,
    sloUrl: idp.sloUrl,
    certificates: [idp.certificateBase64],
    attributeMapping,
  });
  return record;
}
