/**
 * "My digests" over HTTP, as a browser without JavaScript uses it: the list, the form with every filter, frequency and
 * channel (and its errors, with what was typed kept), the digest's page with its secret and delivery log, preview,
 * pause and resume, a new secret, delete. Every POST is checked against the digest_subscription rows; a form without
 * its CSRF token and another member's digest change nothing.
 */
import { ApiTokenService, OrganisationKind, TokenScope, toGlobalId, type OrganisationEntity } from '#identity';
import { Visibility } from '#practices';
import { DigestChannel, DigestFrequency, DigestSubscriptionService, openSecret } from '#digests';
import { DigestDeliveryRepository } from '../../libs/digests/src/deliveries/digest-delivery.repository.js';
import { createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WebClient, textOf, titleOf, type WebPage } from '../support/web-client.js';
import { unique } from '../support/unique.js';
import { rowId } from '../support/digests.js';

const APP_SECRET = 'test-secret-of-at-least-32-characters!!';

/** The global ID in a digest page's address. */
function digestIdOf(location: string | null): string {
  const match = /^\/digests\/([^/?]+)\?done=created$/.exec(location ?? '');
  expect(match).not.toBeNull();
  return match![1]!;
}

/** The value of the readonly text area `id` on a page. */
function fieldValue(html: string, id: string): string | undefined {
  return new RegExp(`<textarea[^>]*id="${id}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
}

/** The `<input>` named `name` (the first, for checkboxes and radios), for its attributes. */
function inputNamed(html: string, name: string): string {
  return new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? '';
}

/** Names of the error summary's items, in order, with where they link. */
function summaryOf(page: WebPage): { text: string; href: string | null }[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(page.html)?.[0] ?? '';
  return [...summary.matchAll(/<li>\s*(?:<a href="([^"]*)">)?([\s\S]*?)(?:<\/a>)?\s*<\/li>/g)].map((m) => ({ text: textOf(m[2]!), href: m[1] ?? null }));
}

describe('web pages: my digests', () => {
  let t: TestApp;
  let kent: OrganisationEntity;
  let owner: TestMember;
  let stranger: TestMember;

  beforeAll(async () => {
    // E-mail digests need SMTP_URL (or demo mode); nothing is sent in these tests.
    t = await startTestApp({ SMTP_URL: 'smtp://127.0.0.1:2525' });
    kent = await createOrganisation(t.app, { name: 'Kent Digest Council', country: 'GB' });
    await createOrganisation(t.app, { name: 'Tallinn Digest City', kind: OrganisationKind.OVERSEAS_AUTHORITY, country: 'EE' });
    owner = await createMember(t.app, kent);
    stranger = await createMember(t.app, await createOrganisation(t.app));
    // A topic the form offers.
    await createPractice(t.app, owner, { visibility: Visibility.TLP_GREEN, tags: ['Postal votes'] });
  });
  afterAll(() => t.close());

  async function signedIn(member: TestMember = owner): Promise<WebClient> {
    const browser = new WebClient(t.baseUrl);
    await browser.signIn(t.app, member.member);
    return browser;
  }

  const rows = (member: TestMember): Promise<Record<string, any>[]> =>
    t.dataSource.query('SELECT * FROM digest_subscription WHERE member_id = $1 ORDER BY created_at, id', [member.member.id]);
  const row = async (id: string): Promise<Record<string, any>> => (await t.dataSource.query('SELECT * FROM digest_subscription WHERE id = $1', [id]))[0];

  const DAILY_EMAIL = {
    name: 'Postal votes, daily',
    q: 'proxy',
    tags: ['postal-votes'],
    kinds: ['UK_COUNCIL', 'OVERSEAS_AUTHORITY'],
    countries: ['GB', 'EE'],
    organisations: [] as string[],
    frequency: 'DAILY',
    hour: '8',
    weekday: 'MONDAY',
    'time-zone': 'Europe/Tallinn',
    channel: 'EMAIL',
    'webhook-url': '',
  };

  async function createThroughForm(browser: WebClient, fields: Record<string, string | string[]>): Promise<{ gid: string; id: string; page: WebPage }> {
    await browser.get('/digests/new');
    const created = await browser.post('/digests/new', fields);
    expect(created.status).toBe(303);
    const gid = digestIdOf(created.location);
    return { gid, id: rowId(gid), page: await browser.get(created.location!) };
  }

  it('asks a signed-out visitor to sign in, and refuses their form', async () => {
    const visitor = new WebClient(t.baseUrl);
    for (const path of ['/digests', '/digests/new']) {
      const page = await visitor.get(path);
      expect([path, page.status, titleOf(page.html)]).toEqual([path, 401, 'Sign in to see this page – Practice Exchange']);
    }
    expect((await visitor.post('/digests/new', DAILY_EMAIL)).status).toBe(403);
  });

  it('offers every filter, frequency and channel, with Europe/London as the time zone', async () => {
    const browser = await signedIn();
    const list = await browser.get('/digests');
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(titleOf(list.html)).toBe('My digests – Practice Exchange');
    expect(textOf(list.html)).toContain('You have no digests yet.');
    expect(list.html).toContain('href="/digests/new"');
    const form = await browser.get('/digests/new');
    expect(form.status).toBe(200);
    expect(titleOf(form.html)).toBe('Create a digest – Practice Exchange');
    for (const name of ['name', 'q', 'hour', 'weekday', 'time-zone', 'webhook-url']) expect([name, form.html.includes(`name="${name}"`)]).toEqual([name, true]);
    expect(form.html).toMatch(/name="tags" type="checkbox" value="postal-votes"/);
    expect(form.html).toMatch(/name="kinds" type="checkbox" value="OVERSEAS_AUTHORITY"/);
    expect(form.html).toMatch(/name="countries" type="checkbox" value="EE"/);
    expect(form.html).toMatch(/name="organisations" type="checkbox" value="[^"]+"/);
    for (const value of ['IMMEDIATE', 'DAILY', 'WEEKLY']) expect(form.html).toMatch(new RegExp(`name="frequency" type="radio" value="${value}"`));
    for (const value of ['EMAIL', 'WEBHOOK', 'ATOM']) expect(form.html).toMatch(new RegExp(`name="channel" type="radio" value="${value}"`));
    expect(form.html).toMatch(/<option value="Europe\/London" selected>/);
    expect(form.html).toMatch(/<option value="SUNDAY">Sunday<\/option>/);
    expect(form.html).not.toMatch(/name="frequency" type="radio" value="[A-Z]+" checked/);
  });

  it('creates a daily e-mail digest with every filter, and shows it', async () => {
    const browser = await signedIn();
    const { id, gid, page } = await createThroughForm(browser, DAILY_EMAIL);
    expect(await row(id)).toMatchObject({
      member_id: owner.member.id,
      name: 'Postal votes, daily',
      filter: { query: 'proxy', tags: ['postal-votes'], organisationKinds: ['UK_COUNCIL', 'OVERSEAS_AUTHORITY'], countries: ['GB', 'EE'] },
      frequency: DigestFrequency.DAILY,
      hour: 8,
      weekday: null,
      time_zone: 'Europe/Tallinn',
      channel: DigestChannel.EMAIL,
      webhook_url: null,
      composer_scopes: null,
      paused_at: null,
    });
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toBe('Postal votes, daily – My digests – Practice Exchange');
    const text = textOf(page.html);
    expect(text).toContain('Your digest has been created.');
    expect(text).toContain('Every day at 08:00 (Europe/Tallinn)');
    expect(text).toContain('Topics Postal votes');
    expect(text).toContain('Kinds of organisation UK councils, Authorities outside the UK');
    expect(text).toContain('Countries United Kingdom, Estonia');
    expect(text).toContain('Search words proxy');
    expect(text).toContain('Status Active');
    expect(text).toContain('No digest has been sent yet.');
    // An e-mail digest has no secret to show or rotate.
    expect(page.html).not.toContain(`/digests/${gid}/secret`);
    expect((await browser.get(`/digests/${gid}/secret`)).status).toBe(404);
    const list = await browser.get('/digests');
    expect(textOf(list.html)).toContain('Postal votes, daily');
    expect(textOf(list.html)).toContain('Last digest Nothing sent yet');
    expect(list.html).toContain(`href="/digests/${gid}"`);
  });

  it('shows the errors in a summary and beside each field, and keeps every answer', async () => {
    const browser = await signedIn();
    const before = (await rows(owner)).length;
    await browser.get('/digests/new');
    const page = await browser.post('/digests/new', { ...DAILY_EMAIL, name: '', frequency: '', channel: '', tags: ['postal-votes'], q: 'kept words' });
    expect(page.status).toBe(400);
    expect(titleOf(page.html)).toBe('Error: Create a digest – Practice Exchange');
    expect(summaryOf(page)).toEqual([
      { text: 'Enter a name for the digest', href: '#name' },
      { text: 'Choose how often to receive the digest', href: '#frequency' },
      { text: 'Choose how to receive the digest', href: '#channel' },
    ]);
    expect(page.html).toContain('<p id="name-error" class="govuk-error-message">');
    expect(inputNamed(page.html, 'q')).toContain('value="kept words"');
    expect(page.html).toMatch(/name="tags" type="checkbox" value="postal-votes" checked/);
    expect(page.html).toMatch(/name="countries" type="checkbox" value="EE" checked/);
    expect(page.html).toMatch(/<option value="Europe\/Tallinn" selected>/);

    const weekly = await browser.post('/digests/new', { ...DAILY_EMAIL, frequency: 'WEEKLY', hour: '25', weekday: 'FUNDAY' });
    expect(summaryOf(weekly)).toEqual([
      { text: 'Choose a time from the list', href: '#hour' },
      { text: 'Choose a day from the list', href: '#weekday' },
    ]);
    expect(weekly.html).toMatch(/name="frequency" type="radio" value="WEEKLY" checked/);

    // The service's own rules: a webhook needs an https address; an unknown time zone is refused.
    const http = await browser.post('/digests/new', { ...DAILY_EMAIL, channel: 'WEBHOOK', 'webhook-url': 'http://intranet.example/hook' });
    expect(summaryOf(http)).toEqual([{ text: 'Enter a full web address starting with https://', href: '#webhook-url' }]);
    expect(inputNamed(http.html, 'webhook-url')).toContain('value="http://intranet.example/hook"');
    const none = await browser.post('/digests/new', { ...DAILY_EMAIL, channel: 'WEBHOOK', 'webhook-url': '' });
    expect(summaryOf(none)).toEqual([{ text: 'Enter the web address to call', href: '#webhook-url' }]);
    const zone = await browser.post('/digests/new', { ...DAILY_EMAIL, 'time-zone': 'Mars/Olympus' });
    expect(summaryOf(zone)).toEqual([{ text: 'Choose a time zone from the list', href: '#time-zone' }]);
    expect(zone.html).toMatch(/<option value="Mars\/Olympus" selected>/);
    expect((await rows(owner)).length).toBe(before);
  });

  it('refuses a form without its CSRF token, and writes nothing', async () => {
    const browser = await signedIn();
    const before = (await rows(owner)).length;
    await browser.get('/digests/new');
    const refused = await browser.post('/digests/new', { ...DAILY_EMAIL, _csrf: null });
    expect(refused.status).toBe(403);
    expect(titleOf(refused.html)).toBe('This form has expired – Practice Exchange');
    expect((await browser.post('/digests/new', { ...DAILY_EMAIL, _csrf: 'forged' })).status).toBe(403);
    expect((await rows(owner)).length).toBe(before);

    const { id, gid } = await createThroughForm(browser, { ...DAILY_EMAIL, name: `Guarded ${unique()}` });
    for (const action of ['pause', 'delete', 'edit']) {
      expect([action, (await browser.post(`/digests/${gid}/${action}`, { ...DAILY_EMAIL, name: 'Changed', _csrf: null })).status]).toEqual([action, 403]);
    }
    expect(await row(id)).toMatchObject({ paused_at: null, name: expect.stringMatching(/^Guarded /) });
  });

  it('shows the webhook secret to its owner, with a copy field, and makes a new one', async () => {
    const browser = await signedIn();
    const { id, gid, page } = await createThroughForm(browser, {
      ...DAILY_EMAIL,
      name: 'To the intranet',
      channel: 'WEBHOOK',
      'webhook-url': 'https://intranet.example.gov.uk/hook',
    });
    const stored = await row(id);
    expect(stored.webhook_url).toBe('https://intranet.example.gov.uk/hook');
    const secret = openSecret(stored.webhook_secret_sealed, APP_SECRET);
    expect(secret).toMatch(/^whsec_/);
    expect(fieldValue(page.html, 'webhook-secret')).toBe(secret);
    expect(page.html).toMatch(/<textarea[^>]*id="webhook-secret"[^>]*readonly/);
    expect(page.html).toContain('data-pe-copy="webhook-secret"');
    expect(page.html).toMatch(/<script type="module" src="\/assets\/app\/copy.mjs" nonce="[^"]+"><\/script>/);
    expect(textOf(page.html)).toContain('Web address called https://intranet.example.gov.uk/hook');

    const confirm = await browser.get(`/digests/${gid}/secret`);
    expect(confirm.status).toBe(200);
    expect(textOf(confirm.html)).toContain('The old secret stops working at once.');
    expect(confirm.html).not.toContain(secret);
    const rotated = await browser.post(`/digests/${gid}/secret`, {});
    expect([rotated.status, rotated.location]).toEqual([303, `/digests/${gid}?done=rotated`]);
    const fresh = openSecret((await row(id)).webhook_secret_sealed, APP_SECRET);
    expect(fresh).not.toBe(secret);
    const after = await browser.get(rotated.location!);
    expect(fieldValue(after.html, 'webhook-secret')).toBe(fresh);
  });

  it('shows the secret feed address of an Atom digest and makes a new one; a token that may not read is not shown either', async () => {
    const browser = await signedIn();
    const { id, gid, page } = await createThroughForm(browser, { ...DAILY_EMAIL, name: 'In my reader', channel: 'ATOM', frequency: 'IMMEDIATE' });
    const feedUrl = fieldValue(page.html, 'feed-url')!;
    expect(feedUrl).toMatch(/^http:\/\/localhost:3000\/feeds\/subscriptions\/[0-9a-f]{32}\.[\w-]{43}\.atom$/);
    expect(textOf(page.html)).toContain('As soon as practices are published');
    await browser.get(`/digests/${gid}/secret`);
    await browser.post(`/digests/${gid}/secret`, {});
    expect((await row(id)).feed_token_version).toBe(1);
    const after = await browser.get(`/digests/${gid}`);
    expect(fieldValue(after.html, 'feed-url')).not.toBe(feedUrl);

    // The service keeps the secrets from a caller who may not read what the digest carries.
    const { token } = await t.app.get(ApiTokenService).createForMember(owner.member, { name: `write only ${unique()}`, scopes: [TokenScope.WRITE] });
    const throughToken = await new WebClient(t.baseUrl).get(`/digests/${gid}`, { authorization: `Bearer ${token}` });
    expect(throughToken.status).toBe(200);
    expect(fieldValue(throughToken.html, 'feed-url')).toBeUndefined();
    expect(textOf(throughToken.html)).toContain('It is not shown to you here');
  });

  it('changes every setting, keeping the form filled in', async () => {
    const browser = await signedIn();
    const { id, gid } = await createThroughForm(browser, {
      ...DAILY_EMAIL,
      name: 'To change',
      channel: 'WEBHOOK',
      'webhook-url': 'https://hooks.example.org/in',
    });
    const form = await browser.get(`/digests/${gid}/edit`);
    expect(form.status).toBe(200);
    expect(titleOf(form.html)).toBe('Change your digest – Practice Exchange');
    expect(inputNamed(form.html, 'name')).toContain('value="To change"');
    expect(form.html).toMatch(/name="tags" type="checkbox" value="postal-votes" checked/);
    expect(form.html).toMatch(/name="frequency" type="radio" value="DAILY" checked/);
    expect(form.html).toMatch(/name="channel" type="radio" value="WEBHOOK" checked/);
    expect(form.html).toMatch(/<select class="govuk-select" id="hour" name="hour">[\s\S]*?<option value="8" selected>/);

    const invalid = await browser.post(`/digests/${gid}/edit`, {
      ...DAILY_EMAIL,
      name: 'x'.repeat(101),
      channel: 'WEBHOOK',
      'webhook-url': 'https://hooks.example.org/in',
    });
    expect(invalid.status).toBe(400);
    expect(summaryOf(invalid)).toEqual([{ text: 'The name must be 100 characters or fewer', href: '#name' }]);
    expect((await row(id)).name).toBe('To change');

    // The hidden webhook address is not sent on: the digest is now an e-mail one.
    const saved = await browser.post(`/digests/${gid}/edit`, {
      ...DAILY_EMAIL,
      name: 'Changed',
      q: '',
      tags: [],
      kinds: [],
      countries: ['EE'],
      frequency: 'WEEKLY',
      weekday: 'FRIDAY',
      hour: '17',
      'time-zone': 'Europe/London',
      channel: 'EMAIL',
      'webhook-url': 'https://hooks.example.org/in',
    });
    expect([saved.status, saved.location]).toEqual([303, `/digests/${gid}?done=updated`]);
    expect(await row(id)).toMatchObject({
      name: 'Changed',
      filter: { countries: ['EE'] },
      frequency: 'WEEKLY',
      weekday: 'FRIDAY',
      hour: 17,
      time_zone: 'Europe/London',
      channel: 'EMAIL',
      webhook_url: null,
      webhook_secret_sealed: null,
    });
    expect(textOf((await browser.get(saved.location!)).html)).toContain('Every Friday at 17:00 (Europe/London)');
  });

  it('previews the practices the next digest would carry', async () => {
    const browser = await signedIn();
    const { gid } = await createThroughForm(browser, { ...DAILY_EMAIL, name: 'Count watch', q: '', kinds: [], countries: [], tags: [], channel: 'ATOM' });
    await browser.post(`/digests/${gid}/edit`, {
      ...DAILY_EMAIL,
      name: 'Count watch',
      q: '',
      kinds: [],
      countries: [],
      tags: ['count-tallies'],
      channel: 'ATOM',
    });
    const matching = await createPractice(t.app, owner, { visibility: Visibility.TLP_GREEN, title: 'Tallying the count twice', tags: ['Count tallies'] });
    const other = await createPractice(t.app, owner, { visibility: Visibility.TLP_GREEN, title: 'Unrelated poster practice', tags: ['Posters'] });
    const page = await browser.get(`/digests/${gid}/preview`);
    expect(page.status).toBe(200);
    expect(titleOf(page.html)).toBe('Preview of Count watch – My digests – Practice Exchange');
    expect(textOf(page.html)).toContain('If the digest were sent now, it would include this practice.');
    expect(page.html).toContain(`href="/practices/${matching.gid}"`);
    expect(page.html).not.toContain(other.gid);
    expect(page.html).toContain('TLP:GREEN</strong>');
  });

  it('pauses and resumes', async () => {
    const browser = await signedIn();
    const { id, gid } = await createThroughForm(browser, { ...DAILY_EMAIL, name: 'Pause me' });
    const paused = await browser.post(`/digests/${gid}/pause`, {});
    expect([paused.status, paused.location]).toEqual([303, `/digests/${gid}?done=paused`]);
    expect(await row(id)).toMatchObject({ paused_at: expect.any(Date), pause_reason: 'paused by its owner' });
    const page = await browser.get(paused.location!);
    expect(textOf(page.html)).toContain('This digest is paused: nothing is sent. You paused it on');
    expect(textOf(page.html)).toContain('Status Paused');
    expect(page.html).toContain(`action="/digests/${gid}/resume"`);
    const resumed = await browser.post(`/digests/${gid}/resume`, {});
    expect(resumed.location).toBe(`/digests/${gid}?done=resumed`);
    expect(await row(id)).toMatchObject({ paused_at: null, pause_reason: null });
  });

  it('shows the delivery log, and the last digest in the list', async () => {
    const browser = await signedIn();
    const { id, gid } = await createThroughForm(browser, {
      ...DAILY_EMAIL,
      name: 'With a log',
      channel: 'WEBHOOK',
      'webhook-url': 'https://hooks.example.org/log',
      'time-zone': 'Europe/London',
    });
    const deliveries = t.app.get(DigestDeliveryRepository);
    await deliveries.claim(id, 'daily:2026-11-30', 'msg-1', new Date('2026-11-30T07:00:00Z'));
    const { delivery } = await deliveries.claim(id, 'daily:2026-12-01', 'msg-2');
    await deliveries.markAttemptFailed(delivery.id, 'HTTP 503 from the receiver', new Date('2026-12-01T07:05:00Z'), false);
    const page = await browser.get(`/digests/${gid}`);
    const text = textOf(page.html);
    expect(text).toContain('The last 2 digests');
    expect(text).toMatch(/Trying again 1 Next try 1 December 2026 at 07:05 GMT HTTP 503 from the receiver/);
    expect(text).toMatch(/Sent 1 30 November 2026 at 07:00 GMT/);
    expect(text).toContain('Last digest Not sent yet: trying again 1 December 2026 at 07:05 GMT');
    const list = await browser.get('/digests');
    expect(textOf(list.html)).toContain('Not sent yet: trying again 1 December 2026 at 07:05 GMT');
  });

  it('deletes after a confirmation page', async () => {
    const browser = await signedIn();
    const { id, gid } = await createThroughForm(browser, { ...DAILY_EMAIL, name: 'Delete me' });
    const confirm = await browser.get(`/digests/${gid}/delete`);
    expect(confirm.status).toBe(200);
    expect(textOf(confirm.html)).toContain('Are you sure you want to delete this digest?');
    expect(await row(id)).toBeDefined();
    const deleted = await browser.post(`/digests/${gid}/delete`, {});
    expect([deleted.status, deleted.location]).toEqual([303, '/digests?done=deleted']);
    expect(await row(id)).toBeUndefined();
    expect(textOf((await browser.get(deleted.location!)).html)).toContain('The digest has been deleted.');
    expect((await browser.get(`/digests/${gid}`)).status).toBe(404);
  });

  it("answers 404 for another member's digest on every page and form, and changes nothing", async () => {
    const mine = await t.app.get(DigestSubscriptionService).create(owner.actor, {
      name: 'Only mine',
      frequency: DigestFrequency.DAILY,
      channel: DigestChannel.WEBHOOK,
      webhookUrl: 'https://hooks.example.org/mine',
    });
    const gid = toGlobalId('DigestSubscription', mine.id);
    const before = await row(mine.id);
    const browser = await signedIn(stranger);
    for (const path of [
      `/digests/${gid}`,
      `/digests/${gid}/edit`,
      `/digests/${gid}/preview`,
      `/digests/${gid}/delete`,
      `/digests/${gid}/secret`,
      '/digests/not-an-id',
      `/digests/${owner.id}`,
    ]) {
      const page = await browser.get(path);
      expect([path, page.status, titleOf(page.html)]).toEqual([path, 404, 'Page not found – Practice Exchange']);
      expect(page.html).not.toContain('Only mine');
    }
    await browser.get('/digests/new');
    for (const action of ['edit', 'pause', 'resume', 'delete', 'secret']) {
      const page = await browser.post(`/digests/${gid}/${action}`, { ...DAILY_EMAIL, name: 'Taken over' });
      expect([action, page.status]).toEqual([action, 404]);
    }
    expect(await row(mine.id)).toEqual(before);
    expect(textOf((await browser.get('/digests')).html)).not.toContain('Only mine');
  });

  it('says when the member already has the most digests one may hold, and writes nothing', async () => {
    const full = await createMember(t.app, kent);
    const service = t.app.get(DigestSubscriptionService);
    for (let i = 0; i < 50; i += 1) await service.create(full.actor, { name: `Digest ${i}`, frequency: DigestFrequency.DAILY, channel: DigestChannel.ATOM });
    const browser = await signedIn(full);
    await browser.get('/digests/new');
    const page = await browser.post('/digests/new', { ...DAILY_EMAIL, name: 'One too many' });
    expect(page.status).toBe(400);
    expect(summaryOf(page)).toEqual([
      {
        text: 'You already have 50 digests, the most you may have. Delete one you no longer need, or widen the choices of one you have, then try again',
        href: null,
      },
    ]);
    expect(inputNamed(page.html, 'name')).toContain('value="One too many"');
    expect((await rows(full)).length).toBe(50);
  });

  it('says when e-mail digests cannot be sent here', async () => {
    const noMail = await startTestApp();
    try {
      const member = await createMember(noMail.app, await createOrganisation(noMail.app));
      const browser = new WebClient(noMail.baseUrl);
      await browser.signIn(noMail.app, member.member);
      await browser.get('/digests/new');
      const page = await browser.post('/digests/new', DAILY_EMAIL);
      expect(page.status).toBe(400);
      expect(summaryOf(page)).toEqual([{ text: 'Email digests are not available on this installation. Choose a webhook or a private feed', href: '#channel' }]);
      expect(page.html).toMatch(/name="channel" type="radio" value="EMAIL" checked/);
      const [{ n }] = await noMail.dataSource.query('SELECT count(*)::int AS n FROM digest_subscription');
      expect(n).toBe(0);
    } finally {
      await noMail.close();
    }
  });

  it('speaks Welsh', async () => {
    const browser = await signedIn();
    const { gid } = await createThroughForm(browser, { ...DAILY_EMAIL, name: 'Cymraeg', frequency: 'WEEKLY', weekday: 'MONDAY', hour: '9' });
    const page = await browser.get(`/digests/${gid}?lang=cy`);
    expect(titleOf(page.html)).toBe('Cymraeg – Fy nghrynodebau – Cyfnewidfa Arferion');
    expect(textOf(page.html)).toContain('Bob dydd Llun am 09:00 (Europe/Tallinn)');
    const form = await browser.get('/digests/new');
    expect(form.html).toMatch(/<option value="MONDAY" selected>Dydd Llun<\/option>/);
  });
});
