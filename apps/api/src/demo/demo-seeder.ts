import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import {
  Actor,
  ApiTokenService,
  IdentityProviderService,
  MemberIdentityRepository,
  MemberRepository,
  MemberService,
  NAMEID_FORMAT,
  OPERATOR,
  type OrganisationKind,
  OrganisationService,
  type Role,
  TokenScope,
} from '#identity';
import { AdoptionService, CommentService, PracticeService, type Visibility } from '#practices';
import { DEMO_CONTRIBUTOR_EMAIL, DEMO_MEMBERS, DEMO_ORGANISATIONS, DEMO_PRACTICES } from './demo-data.js';

const DAY = 86_400_000;
const logger = new Logger('DemoSeeder');

/**
 * Loads the demo organisations, members and practices through the same services the API uses, once: a database
 * that already has organisations is left alone.
 */
export async function seedDemoData(app: INestApplicationContext, now = new Date()): Promise<boolean> {
  const organisations = app.get(OrganisationService);
  const members = app.get(MemberService);
  const memberRepo = app.get(MemberRepository);
  if (await memberRepo.findByEmail(DEMO_CONTRIBUTOR_EMAIL)) return false;

  const orgIds = new Map<string, string>();
  for (const org of DEMO_ORGANISATIONS) {
    const saved = await organisations.upsert(OPERATOR, { ...org, kind: org.kind as OrganisationKind });
    orgIds.set(org.slug, saved.id);
  }
  const actors = new Map<string, Actor>();
  for (const m of DEMO_MEMBERS) {
    const saved = await members.create({ organisationSlug: m.organisationSlug, email: m.email, name: m.name, roles: m.roles as Role[] });
    actors.set(m.email, Actor.member(saved.id, saved.organisationId, saved.roles));
  }
  const actorOf = (email: string): Actor => {
    const actor = actors.get(email);
    if (!actor) throw new Error(`Demo data names an unknown member ${email}`);
    return actor;
  };

  const practices = app.get(PracticeService);
  const comments = app.get(CommentService);
  const adoptions = app.get(AdoptionService);
  for (const p of DEMO_PRACTICES) {
    const author = actorOf(p.authorEmail);
    const created = await practices.create(author, {
      title: p.title,
      summary: p.summary,
      problem: p.problem,
      approach: p.approach,
      outcomes: p.outcomes,
      resources: p.resources,
      tags: p.tags,
      language: p.language,
      visibility: p.visibility as Visibility,
      audienceOrganisationSlugs: p.audienceOrganisationSlugs,
    });
    if (p.status === 'DRAFT') continue;
    await practices.publish(author, created.id, new Date(now.getTime() - (p.publishedDaysAgo ?? 1) * DAY));
    for (const c of p.comments ?? []) {
      const comment = await comments.add(actorOf(c.authorEmail), created.id, c.body, null);
      for (const r of c.replies ?? []) await comments.add(actorOf(r.authorEmail), created.id, r.body, comment.id);
    }
    for (const a of p.adoptions ?? []) await adoptions.record(actorOf(a.memberEmail), created.id, a.note, a.outcome);
    if (p.status === 'ARCHIVED') await practices.archive(author, created.id);
  }
  logger.log({ msg: 'demo data loaded', organisations: DEMO_ORGANISATIONS.length, members: DEMO_MEMBERS.length, practices: DEMO_PRACTICES.length });
  return true;
}

/**
 * Points every demo organisation at the demo IdP (its URL follows PUBLIC_URL, so this runs at every demo start) and
 * links each demo member to it by e-mail NameID, so that every demo user can sign in from a browser.
 */
export async function ensureDemoSignIn(app: INestApplicationContext, metadataXml: string): Promise<void> {
  const idps = app.get(IdentityProviderService);
  const identities = app.get(MemberIdentityRepository);
  const members = app.get(MemberRepository);
  for (const org of DEMO_ORGANISATIONS) {
    const idp = await idps.configure(OPERATOR, { organisationSlug: org.slug, key: 'demo', name: 'Demo IdP', metadataXml });
    for (const demo of DEMO_MEMBERS.filter((m) => m.organisationSlug === org.slug)) {
      const member = await members.findByEmail(demo.email);
      if (member && !(await identities.find(idp.id, demo.email))) {
        await identities.insert({ identityProviderId: idp.id, nameId: demo.email, nameIdFormat: NAMEID_FORMAT.email, memberId: member.id });
      }
    }
  }
}

/**
 * The demo contributor's token, kept under the data folder so that the same token works after a restart; a new
 * one is made when the kept one no longer works.
 */
export async function demoToken(app: INestApplicationContext, dataDir: string): Promise<string> {
  const tokens = app.get(ApiTokenService);
  const file = path.join(dataDir, 'demo-token');
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    try {
      await tokens.authenticate(kept);
      return kept;
    } catch {
      // expired or revoked: make a new one below
    }
  }
  const member = await app.get(MemberRepository).findByEmail(DEMO_CONTRIBUTOR_EMAIL);
  if (!member) throw new Error(`The demo contributor ${DEMO_CONTRIBUTOR_EMAIL} is missing from the database`);
  const { token } = await tokens.createForMember(member, {
    name: 'demo',
    scopes: [TokenScope.READ, TokenScope.WRITE],
    expiresAt: new Date(Date.now() + 365 * DAY),
  });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
