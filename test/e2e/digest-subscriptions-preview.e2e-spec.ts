import { OrganisationKind, Role } from '#identity';
import { PracticeStatus, Visibility } from '#practices';
import { createFlag, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { rowId } from '../support/digests.js';
import { PREVIEW, RESOLVE, HOUR, create, subscriptionMembers } from '../support/digest-subscriptions.js';

/**
 * Digest subscriptions through the API (README, "The API"; the feed address and secret formats are names the outside
 * world relies on): createDigestSubscription, updateDigestSubscription, deleteDigestSubscription,
 * rotateDigestSubscriptionSecret, digestSubscriptions, digestPreview(subscriptionId) and node(id:). Every case asserts
 * the response and the digest_subscription rows behind it.
 *
 * Expected rules:
 * - channels: EMAIL needs SMTP_URL (with DATABASE_URL set, demo mode is off, so without it EMAIL is refused with a
 *   BAD_USER_INPUT naming SMTP_URL); WEBHOOK needs an https:// webhookUrl (http:// only with
 *   OUTBOUND_ALLOW_PRIVATE_NETWORKS=true) and gets a whsec_ secret, stored sealed; ATOM gets a secret feedUrl
 *   `<PUBLIC_URL>/feeds/subscriptions/<token>.atom`;
 * - schedule defaults: hour 7, time zone Europe/London, weekday MONDAY for WEEKLY and null otherwise;
 * - filter normalisation: tags by slug, organisation slugs lower case, countries upper case;
 * - DigestSubscription is read by its owner only: anyone else's is NOT_FOUND (mutations, digestPreview) or null
 *   (node), whatever their role;
 * - deactivating a member pauses every subscription of theirs at once ("member deactivated");
 * - digestPreview holds what the next digest would: published practices the subscriber may read, matching the
 *   filter, published since the subscription was made, and not recorded in digest_entry for it.
 */
describe('digest subscriptions through the API', () => {
  let t: TestApp;

  beforeAll(async () => {
    // DATABASE_URL is set (so demo mode is off) and SMTP_URL is not.
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const { member } = subscriptionMembers(() => t);

  describe('digestPreview', () => {
    async function preview(owner: TestMember, subscriptionGid: string) {
      const response = await t.gql(PREVIEW, { id: subscriptionGid }, owner.token);
      const result = expectOk(response, 'digestPreview');
      expect(result.count).toBe(result.entries.length);
      return result as { count: number; entries: { id: string; title: string; visibility: string }[] };
    }

    async function hide(practiceGid: string) {
      const reporter = await member();
      const moderator = await member([Role.MODERATOR]);
      const flag = await createFlag(t.app, reporter, practiceGid);
      expect((await t.gql(RESOLVE, { id: flag.gid, action: 'HIDE' }, moderator.token)).errors).toBeUndefined();
    }

    it('holds what the subscriber in organisation A may read, published since it was made: CLEAR, GREEN, AMBER naming A; not other AMBER, strict, draft, archived, hidden or older', async () => {
      const orgA = await createOrganisation(t.app);
      const orgB = await createOrganisation(t.app);
      const orgC = await createOrganisation(t.app);
      const subscriber = await member([Role.CONTRIBUTOR], orgA);
      const authorB = await member([Role.CONTRIBUTOR], orgB);
      const authorA = await member([Role.CONTRIBUTOR], orgA);
      const tag = `Election Security ${unique()}`;
      const older = await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, tags: [tag], title: 'older, before the subscription' });
      const subscription = await create(t, subscriber, { filter: { tags: [tag] } });

      const shown = [
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, tags: [tag], title: 'clear' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_GREEN, tags: [tag], title: 'green' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_AMBER, audience: [orgA], tags: [tag], title: 'amber naming A' }),
        await createPractice(t.app, authorA, { visibility: Visibility.TLP_AMBER_STRICT, tags: [tag], title: "strict of the subscriber's own organisation" }),
      ];
      const hidden = await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, tags: [tag], title: 'hidden by a moderator' });
      await hide(hidden.gid);
      const left = [
        older,
        hidden,
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_AMBER, audience: [orgC], tags: [tag], title: 'amber naming C' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_AMBER, tags: [tag], title: 'amber naming nobody' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_AMBER_STRICT, tags: [tag], title: 'strict of B' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, status: PracticeStatus.DRAFT, tags: [tag], title: 'draft of B' }),
        await createPractice(t.app, authorA, { visibility: Visibility.TLP_CLEAR, status: PracticeStatus.DRAFT, tags: [tag], title: 'draft of A' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, status: PracticeStatus.ARCHIVED, tags: [tag], title: 'archived' }),
        await createPractice(t.app, authorB, {
          visibility: Visibility.TLP_CLEAR,
          tags: [tag],
          title: 'published an hour before the subscription',
          publishedAt: new Date(Date.now() - HOUR),
        }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, tags: ['Some Other Topic'], title: 'not matching the filter' }),
      ];

      const result = await preview(subscriber, subscription.id);

      expect(result.entries.map((e) => e.title)).toEqual(shown.map((p) => p.title));
      expect(result.entries.map((e) => e.id)).toEqual(shown.map((p) => p.gid));
      expect(result.count).toBe(4);
      for (const p of left) expect(result.entries.map((e) => e.id)).not.toContain(p.gid);
      // A preview records nothing.
      expect(await t.dataSource.query(`SELECT 1 FROM digest_entry WHERE subscription_id = $1`, [rowId(subscription.id)])).toHaveLength(0);
      expect(await t.dataSource.query(`SELECT 1 FROM digest_delivery WHERE subscription_id = $1`, [rowId(subscription.id)])).toHaveLength(0);
    });

    it('matches tags by slug: a subscription to "Cyber Security" holds a practice tagged "cyber-security", not one tagged "Cyber"', async () => {
      const orgB = await createOrganisation(t.app);
      const subscriber = await member();
      const author = await member([Role.CONTRIBUTOR], orgB);
      // Narrowed to a fresh organisation, so other tests' cyber-security practices stay out.
      const subscription = await create(t, subscriber, { filter: { tags: ['Cyber Security'], organisationSlugs: [orgB.slug.toUpperCase()] } });
      expect(subscription.filter).toMatchObject({ tags: ['cyber-security'], organisationSlugs: [orgB.slug] });

      const bySlug = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: ['cyber-security'] });
      const byLabel = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: ['CYBER  security'] });
      const other = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: ['Cyber'] });
      const untagged = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: ['Phishing'] });

      const ids = (await preview(subscriber, subscription.id)).entries.map((e) => e.id);

      expect(ids).toEqual([bySlug.gid, byLabel.gid]);
      expect(ids).not.toContain(other.gid);
      expect(ids).not.toContain(untagged.gid);
    });

    it('organisationKinds and countries narrow it, as do organisation slugs given in any case', async () => {
      const tag = `Candidate Safety ${unique()}`;
      const council = await createOrganisation(t.app, { kind: OrganisationKind.UK_COUNCIL, country: 'GB' });
      const overseas = await createOrganisation(t.app, { kind: OrganisationKind.OVERSEAS_AUTHORITY, country: 'FR' });
      const central = await createOrganisation(t.app, { kind: OrganisationKind.UK_CENTRAL_GOVERNMENT, country: 'GB' });
      const subscriber = await member();
      const byKind = await create(t, subscriber, { filter: { tags: [tag], organisationKinds: ['OVERSEAS_AUTHORITY', 'UK_CENTRAL_GOVERNMENT'] } });
      const byCountry = await create(t, subscriber, { filter: { tags: [tag], countries: ['fr'] } });
      const byBoth = await create(t, subscriber, { filter: { tags: [tag], countries: ['GB'], organisationKinds: ['UK_COUNCIL'] } });
      const bySlug = await create(t, subscriber, { filter: { tags: [tag], organisationSlugs: [central.slug.toUpperCase()] } });
      const unfiltered = await create(t, subscriber, { filter: { tags: [tag] } });

      const fromCouncil = await createPractice(t.app, await member([Role.CONTRIBUTOR], council), { visibility: Visibility.TLP_CLEAR, tags: [tag] });
      const fromOverseas = await createPractice(t.app, await member([Role.CONTRIBUTOR], overseas), { visibility: Visibility.TLP_CLEAR, tags: [tag] });
      const fromCentral = await createPractice(t.app, await member([Role.CONTRIBUTOR], central), { visibility: Visibility.TLP_GREEN, tags: [tag] });

      const ids = async (s: Record<string, any>) => (await preview(subscriber, s.id)).entries.map((e) => e.id);
      expect(await ids(byKind)).toEqual([fromOverseas.gid, fromCentral.gid]);
      expect(await ids(byCountry)).toEqual([fromOverseas.gid]);
      expect(await ids(byBoth)).toEqual([fromCouncil.gid]);
      expect(await ids(bySlug)).toEqual([fromCentral.gid]);
      expect(await ids(unfiltered)).toEqual([fromCouncil.gid, fromOverseas.gid, fromCentral.gid]);
    });

    it('the free-text query narrows it', async () => {
      const tag = `Ballots ${unique()}`;
      const word = `zebra${unique().replace(/\d/g, 'q')}`;
      const subscriber = await member();
      const author = await member();
      const subscription = await create(t, subscriber, { filter: { tags: [tag], query: word } });

      const matching = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: [tag], title: `About the ${word}` });
      await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: [tag], title: 'About something else' });

      expect((await preview(subscriber, subscription.id)).entries.map((e) => e.id)).toEqual([matching.gid]);
    });

    it('leaves out practices already recorded in digest_entry for this subscription, and only for it', async () => {
      const tag = `Sent Before ${unique()}`;
      const subscriber = await member();
      const author = await member();
      const subscription = await create(t, subscriber, { filter: { tags: [tag] } });
      const sibling = await create(t, subscriber, { filter: { tags: [tag] } });
      const sent = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: [tag] });
      const fresh = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: [tag] });
      expect((await preview(subscriber, subscription.id)).entries.map((e) => e.id)).toEqual([sent.gid, fresh.gid]);

      const [delivery] = await t.dataSource.query(
        `INSERT INTO digest_delivery (subscription_id, period_key, status, message_id, attempts, sent_at) VALUES ($1, $2, 'SENT', $3, 1, now()) RETURNING id`,
        [rowId(subscription.id), new Date().toISOString().slice(0, 10), `<digest-${unique()}@practice-exchange.test>`],
      );
      await t.dataSource.query(`INSERT INTO digest_entry (subscription_id, practice_id, delivery_id) VALUES ($1, $2, $3)`, [
        rowId(subscription.id),
        sent.id,
        delivery.id,
      ]);

      const result = await preview(subscriber, subscription.id);
      expect(result.entries.map((e) => e.id)).toEqual([fresh.gid]);
      expect(result.count).toBe(1);
      // Another subscription of the same member still gets it.
      expect((await preview(subscriber, sibling.id)).entries.map((e) => e.id)).toEqual([sent.gid, fresh.gid]);
    });

    it('follows the read rule at preview time: a practice hidden after publication drops out', async () => {
      const tag = `Later Hidden ${unique()}`;
      const subscriber = await member();
      const author = await member();
      const subscription = await create(t, subscriber, { filter: { tags: [tag] } });
      const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, tags: [tag] });
      expect((await preview(subscriber, subscription.id)).entries.map((e) => e.id)).toEqual([practice.gid]);

      await hide(practice.gid);

      expect((await preview(subscriber, subscription.id)).count).toBe(0);
    });
  });
});
