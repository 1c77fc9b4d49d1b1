/**
 * The links a digest hands out, over real HTTP (README, "The API"):
 * - `GET /feeds/subscriptions/<token>.atom`, the secret feed of an ATOM subscription, read by a real feed parser:
 *   TLP_CLEAR and TLP_GREEN entries in full, TLP_AMBER entries only as stubs naming the organisation (nothing of the
 *   practice's own text anywhere in the XML); a wrong or rotated token is a 404; ETag / If-None-Match give a 304.
 * - `GET|POST /unsubscribe/<token>` taken from the List-Unsubscribe header of a digest mail that a real SMTP server
 *   received: a GET only shows a confirmation page, a POST (RFC 8058 one-click) deletes the subscription, a tampered
 *   token is a 404 and deletes nothing.
 */
import { parseFeed } from '@rowanmanning/feed-parser';
import { simpleParser } from 'mailparser';
import { OPERATOR, MemberService, type OrganisationEntity } from '#identity';
import { Visibility } from '#practices';
import { DigestDeliveryService } from '#digests';
import { createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { header, startSmtp, type SmtpSink } from '../support/smtp-sink.js';
import { unique } from '../support/unique.js';
import { rowId } from '../support/digests.js';

const PUBLIC_URL = 'http://localhost:3000';
const FIELDS = `id name channel feedUrl pausedAt`;
const CREATE = `mutation($input: CreateDigestSubscriptionInput!) { createDigestSubscription(input: $input) { ${FIELDS} } }`;
const LIST = `query { digestSubscriptions { ${FIELDS} } }`;
const ROTATE = `mutation($id: ID!) { rotateDigestSubscriptionSecret(input: { id: $id }) { ${FIELDS} } }`;

describe('digest feeds and unsubscribe links over HTTP', () => {
  let t: TestApp;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function create(owner: TestMember, input: Record<string, unknown>): Promise<Record<string, any>> {
    return expectOk(await t.gql(CREATE, { input: { name: `Digest ${unique()}`, frequency: 'DAILY', ...input } }, owner.token), 'createDigestSubscription');
  }

  /** The subscription's feed URL as its owner reads it in digestSubscriptions. */
  async function feedUrlOf(owner: TestMember, gid: string): Promise<string> {
    const response = await t.gql(LIST, {}, owner.token);
    expect(response.errors).toBeUndefined();
    const found = response.data!.digestSubscriptions.find((s: any) => s.id === gid);
    expect(found.channel).toBe('ATOM');
    return found.feedUrl as string;
  }

  /** The same path on the test server: feedUrl names PUBLIC_URL (localhost:3000). */
  function get(publicUrl: string, headers: Record<string, string> = {}): Promise<Response> {
    expect(publicUrl.startsWith(`${PUBLIC_URL}/`)).toBe(true);
    return fetch(`${t.baseUrl}${publicUrl.slice(PUBLIC_URL.length)}`, { headers });
  }

  async function subscriptionExists(id: string): Promise<boolean> {
    return (await t.dataSource.query(`SELECT 1 FROM digest_subscription WHERE id = $1`, [id])).length === 1;
  }

  describe('the Atom feed of a subscription', () => {
    let orgA: OrganisationEntity;
    let orgB: OrganisationEntity;
    let owner: TestMember;
    let authorB: TestMember;
    let tag: string;
    let gid: string;

    beforeAll(async () => {
      orgA = await createOrganisation(t.app, { name: `Alpha Council ${unique()}` });
      orgB = await createOrganisation(t.app, { name: `Borough of Beta ${unique()}` });
      owner = await createMember(t.app, orgA);
      authorB = await createMember(t.app, orgB);
      tag = `Topic ${unique()}`;
      gid = (await create(owner, { channel: 'ATOM', filter: { tags: [tag] } })).id;
    });

    it('holds CLEAR and GREEN entries in full and AMBER ones only as stubs naming the organisation, with nothing of their text', async () => {
      const orgC = await createOrganisation(t.app);
      const clear = await createPractice(t.app, authorB, {
        visibility: Visibility.TLP_CLEAR,
        tags: [tag],
        title: `Clear ${unique()}`,
        summary: `Clear summary ${unique()}`,
      });
      const green = await createPractice(t.app, authorB, {
        visibility: Visibility.TLP_GREEN,
        tags: [tag],
        title: `Green ${unique()}`,
        summary: `Green summary ${unique()}`,
      });
      const amber = await createPractice(t.app, authorB, {
        visibility: Visibility.TLP_AMBER,
        audience: [orgA],
        tags: [tag],
        title: `Amber secret title ${unique()}`,
        summary: `Amber secret summary ${unique()}`,
        approach: `Amber secret approach ${unique()}`,
      });
      const ownStrict = await createPractice(t.app, await createMember(t.app, orgA), {
        visibility: Visibility.TLP_AMBER_STRICT,
        tags: [tag],
        title: `Strict secret title ${unique()}`,
        summary: `Strict secret summary ${unique()}`,
      });
      const notForA = await createPractice(t.app, authorB, {
        visibility: Visibility.TLP_AMBER,
        audience: [orgC],
        tags: [tag],
        title: `Amber for C ${unique()}`,
        summary: `Amber for C summary ${unique()}`,
      });
      const feedUrl = await feedUrlOf(owner, gid);
      expect(feedUrl).toMatch(new RegExp(`^${PUBLIC_URL}/feeds/subscriptions/[0-9a-f]{32}\\.[A-Za-z0-9_-]{43}\\.atom$`));

      // No sign-in: the address is the credential.
      const response = await get(feedUrl);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('private, max-age=300');
      const xml = await response.text();
      const feed = parseFeed(xml);
      expect(feed.meta.type).toBe('atom');
      expect(feed.self).toBe(feedUrl);
      const byId = new Map(feed.items.map((item) => [item.id, item]));
      expect([...byId.keys()].sort()).toEqual([clear, green, amber, ownStrict].map((p) => `urn:uuid:${p.id}`).sort());

      for (const p of [clear, green]) {
        const item = byId.get(`urn:uuid:${p.id}`)!;
        expect(item.title).toBe(p.title);
        expect(item.description).toBe(p.summary);
        expect(item.url).toBe(`${PUBLIC_URL}/practices/${p.gid}`);
        expect(item.authors.map((a) => a.name)).toEqual([orgB.name]);
      }
      const amberItem = byId.get(`urn:uuid:${amber.id}`)!;
      expect(amberItem.title).toBe(`A TLP:AMBER practice from ${orgB.name}`);
      expect(amberItem.url).toBe(`${PUBLIC_URL}/practices/${amber.gid}`);
      expect(amberItem.description).toBeNull();
      expect(amberItem.content).toBeNull();
      expect(byId.get(`urn:uuid:${ownStrict.id}`)!.title).toBe(`A TLP:AMBER practice from ${orgA.name}`);
      for (const secret of [
        amber.title,
        amber.summary,
        'Amber secret approach',
        ownStrict.title,
        ownStrict.summary,
        notForA.title,
        notForA.summary,
        notForA.id,
      ]) {
        expect(xml).not.toContain(secret);
      }
    });

    it('a wrong token is a 404; after rotateDigestSubscriptionSecret the old address is a 404 and the new one works', async () => {
      await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, tags: [tag] });
      const feedUrl = await feedUrlOf(owner, gid);
      expect((await get(feedUrl)).status).toBe(200);
      const [, hex, mac] = /\/([0-9a-f]{32})\.([A-Za-z0-9_-]{43})\.atom$/.exec(feedUrl)!;
      const flipped = `${mac!.slice(0, 10)}${mac![10] === 'A' ? 'B' : 'A'}${mac!.slice(11)}`;
      const otherId = rowId((await create(owner, { channel: 'ATOM' })).id).replace(/-/g, '');
      const wrong = [
        `${PUBLIC_URL}/feeds/subscriptions/${hex}.${flipped}.atom`,
        `${PUBLIC_URL}/feeds/subscriptions/${otherId}.${mac}.atom`,
        `${PUBLIC_URL}/feeds/subscriptions/${hex}.${mac}`,
        `${PUBLIC_URL}/feeds/subscriptions/${hex}.atom`,
        `${PUBLIC_URL}/feeds/subscriptions/not-a-token.atom`,
      ];
      for (const url of wrong) {
        const response = await get(url);
        expect(response.status).toBe(404);
        expect(await response.text()).not.toContain('<feed');
      }

      const rotated = expectOk(await t.gql(ROTATE, { id: gid }, owner.token), 'rotateDigestSubscriptionSecret');

      expect(rotated.feedUrl).not.toBe(feedUrl);
      expect(await feedUrlOf(owner, gid)).toBe(rotated.feedUrl);
      expect((await get(feedUrl)).status).toBe(404);
      const fresh = await get(rotated.feedUrl);
      expect(fresh.status).toBe(200);
      expect(parseFeed(await fresh.text()).items.length).toBeGreaterThan(0);
    });

    it('sends a strong ETag; a matching If-None-Match gets an empty 304, and a new practice changes the ETag', async () => {
      await createPractice(t.app, authorB, { visibility: Visibility.TLP_GREEN, tags: [tag] });
      const feedUrl = await feedUrlOf(owner, gid);
      const first = await get(feedUrl);
      expect(first.status).toBe(200);
      await first.text();
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      expect(first.headers.get('last-modified')).toBeTruthy();

      const again = await get(feedUrl, { 'if-none-match': etag });

      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      expect((await get(feedUrl, { 'if-none-match': '"stale"' })).status).toBe(200);
      expect((await get(feedUrl, { 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() })).status).toBe(304);

      const added = await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, tags: [tag], title: `Newer ${unique()}` });
      const changed = await get(feedUrl, { 'if-none-match': etag });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      expect(parseFeed(await changed.text()).items.map((i) => i.title)).toContain(added.title);
    });

    it('is a 404 once its owner is deactivated', async () => {
      const leaver = await createMember(t.app, orgA);
      const leaverGid = (await create(leaver, { channel: 'ATOM', filter: { tags: [tag] } })).id;
      const feedUrl = await feedUrlOf(leaver, leaverGid);
      expect((await get(feedUrl)).status).toBe(200);

      await t.app.get(MemberService).deactivate(OPERATOR, leaver.member.id);

      expect((await get(feedUrl)).status).toBe(404);
    });
  });

  describe('one-click unsubscribe from a digest mail', () => {
    /** An EMAIL subscription that has received one digest; the unsubscribe URL of its List-Unsubscribe header. */
    async function subscribedWithMail(): Promise<{ owner: TestMember; id: string; gid: string; unsubscribeUrl: string }> {
      const tag = `Topic ${unique()}`;
      const owner = await createMember(t.app, await createOrganisation(t.app));
      const created = await create(owner, { channel: 'EMAIL', filter: { tags: [tag] } });
      const id = rowId(created.id);
      await createPractice(t.app, await createMember(t.app, await createOrganisation(t.app)), { tags: [tag] });
      expect(await t.app.get(DigestDeliveryService).deliver(id, 'daily:2026-11-25')).toBe('sent');
      const raw = smtp.messages.filter((m) => m.rcptTo.includes(owner.member.email.toLowerCase()));
      expect(raw).toHaveLength(1);
      const mail = await simpleParser(raw[0]!.raw);
      expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      const match = /^<(https?:\/\/[^>\s]+)>$/.exec(header(mail, 'List-Unsubscribe')!);
      expect(match).not.toBeNull();
      const unsubscribeUrl = match![1]!;
      expect(unsubscribeUrl).toMatch(new RegExp(`^${PUBLIC_URL}/unsubscribe/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`));
      // The plain text part offers the same link.
      expect(mail.text).toContain(unsubscribeUrl);
      return { owner, id, gid: created.id, unsubscribeUrl };
    }

    const onTestServer = (url: string) => `${t.baseUrl}${new URL(url).pathname}`;
    const oneClick = (url: string) =>
      fetch(onTestServer(url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

    it('a GET shows a confirmation page and deletes nothing; the one-click POST deletes the subscription', async () => {
      const { owner, id, gid, unsubscribeUrl } = await subscribedWithMail();

      const page = await fetch(onTestServer(unsubscribeUrl));

      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toMatch(/<form method="post">/);
      expect(html).toContain('Unsubscribe');
      expect(await subscriptionExists(id)).toBe(true);
      // A scanner following the link twice changes nothing either.
      expect((await fetch(onTestServer(unsubscribeUrl))).status).toBe(200);
      expect(await subscriptionExists(id)).toBe(true);

      const done = await oneClick(unsubscribeUrl);

      // Any 2xx is success to a mail client (RFC 8058); Nest answers a POST with 201.
      expect(done.ok).toBe(true);
      expect(await done.text()).toContain('Unsubscribed');
      expect(await subscriptionExists(id)).toBe(false);
      expect(await t.dataSource.query(`SELECT 1 FROM digest_delivery WHERE subscription_id = $1`, [id])).toHaveLength(0);
      expect((await t.gql(LIST, {}, owner.token)).data!.digestSubscriptions.map((s: any) => s.id)).not.toContain(gid);
      // The link is spent: a second click finds nothing.
      expect((await oneClick(unsubscribeUrl)).status).toBe(404);
      expect((await fetch(onTestServer(unsubscribeUrl))).status).toBe(404);
    });

    it('a tampered token is a 404 to GET and POST, and deletes nothing', async () => {
      const first = await subscribedWithMail();
      const second = await subscribedWithMail();
      const [idPart, mac] = new URL(first.unsubscribeUrl).pathname.split('/').at(-1)!.split('.');
      const [otherIdPart] = new URL(second.unsubscribeUrl).pathname.split('/').at(-1)!.split('.');
      const flipped = `${mac!.slice(0, 5)}${mac![5] === 'A' ? 'B' : 'A'}${mac!.slice(6)}`;
      const tampered = [
        `${idPart}.${flipped}`,
        // The other subscription's id under this one's signature.
        `${otherIdPart}.${mac}`,
        `${idPart}.${mac!.slice(0, -1)}`,
        `${idPart}`,
        `${Buffer.from(first.id).toString('base64url')}.${'A'.repeat(43)}`,
      ];

      for (const token of tampered) {
        const url = `${PUBLIC_URL}/unsubscribe/${token}`;
        const get = await fetch(onTestServer(url));
        expect(get.status).toBe(404);
        expect(await get.text()).not.toMatch(/<form/);
        expect((await oneClick(url)).status).toBe(404);
      }

      expect(await subscriptionExists(first.id)).toBe(true);
      expect(await subscriptionExists(second.id)).toBe(true);
      // The genuine links still work, each for its own subscription only.
      expect((await oneClick(second.unsubscribeUrl)).ok).toBe(true);
      expect(await subscriptionExists(second.id)).toBe(false);
      expect(await subscriptionExists(first.id)).toBe(true);
    });
  });
});
