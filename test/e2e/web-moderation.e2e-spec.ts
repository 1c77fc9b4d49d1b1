import { Role, type OrganisationEntity } from '#identity';
import { FlagStatus, Visibility } from '#practices';
import { createComment, createFlag, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WebClient, textOf, titleOf } from '../support/web-client.js';

/**
 * The moderation queue over HTTP: the flags a person may work (the `flags` query's rule), hide, dismiss and bring
 * back (resolveFlag, unhideContent) as POST forms, hidden content shown without its text, and refusals that write
 * nothing.
 */
describe('web moderation pages', () => {
  let t: TestApp;
  let kent: OrganisationEntity;
  let other: OrganisationEntity;
  let author: TestMember;
  let reporter: TestMember;
  let moderator: TestMember;
  let contributor: TestMember;
  let otherAdmin: TestMember;
  let kentAdmin: TestMember;

  beforeAll(async () => {
    t = await startTestApp();
    kent = await createOrganisation(t.app, { name: 'Kent Moderation Council' });
    other = await createOrganisation(t.app, { name: 'Other Moderation Council' });
    author = await createMember(t.app, kent, [Role.CONTRIBUTOR]);
    reporter = await createMember(t.app, other, [Role.CONTRIBUTOR]);
    moderator = await createMember(t.app, other, [Role.MODERATOR]);
    contributor = await createMember(t.app, other, [Role.CONTRIBUTOR]);
    otherAdmin = await createMember(t.app, other, [Role.ORG_ADMIN]);
    kentAdmin = await createMember(t.app, kent, [Role.ORG_ADMIN]);
  });
  afterAll(() => t.close());

  async function signedIn(member: TestMember): Promise<WebClient> {
    const client = new WebClient(t.baseUrl);
    await client.signIn(t.app, member.member);
    return client;
  }

  async function flagRow(id: string) {
    const [row] = (await t.dataSource.query('SELECT status, resolved_by_id, resolved_at, unhidden_by_id, unhidden_at FROM flag WHERE id = $1', [id])) as {
      status: FlagStatus;
      resolved_by_id: string | null;
      resolved_at: Date | null;
      unhidden_by_id: string | null;
      unhidden_at: Date | null;
    }[];
    return row!;
  }

  async function hiddenAt(practiceId: string): Promise<Date | null> {
    return ((await t.dataSource.query('SELECT hidden_at FROM practice WHERE id = $1', [practiceId])) as { hidden_at: Date | null }[])[0]!.hidden_at;
  }

  it('is not found for a contributor, and asks a signed-out visitor to sign in', async () => {
    const page = await (await signedIn(contributor)).get('/moderation');
    expect(page.status).toBe(404);
    expect(titleOf(page.html)).toBe('Page not found – Practice Exchange');
    const anonymous = await new WebClient(t.baseUrl).get('/moderation');
    expect(anonymous.status).toBe(401);
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('says so when a queue is empty', async () => {
    const quiet = await createMember(t.app, await createOrganisation(t.app), [Role.ORG_ADMIN]);
    const page = await (await signedIn(quiet)).get('/moderation');
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('There are no open flags.');
    const hidden = await (await signedIn(quiet)).get('/moderation?status=hidden');
    expect(textOf(hidden.html)).toContain('No content is hidden.');
  });

  it('lists open flags with their reason, note, reporter and a link to the content', async () => {
    const practice = await createPractice(t.app, author, { title: 'Queue zebra practice', visibility: Visibility.TLP_GREEN });
    const flag = await createFlag(t.app, reporter, practice.gid);
    const page = await (await signedIn(moderator)).get('/moderation');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(titleOf(page.html)).toBe('Moderation – Practice Exchange');
    const text = textOf(page.html);
    expect(text).toContain('Open flags, oldest first');
    expect(text).toContain('Queue zebra practice');
    expect(page.html).toContain(`href="/practices/${practice.gid}"`);
    expect(text).toContain('Abusive');
    expect(text).toContain('Please look.');
    expect(text).toContain(`${reporter.member.name} (Other Moderation Council)`);
    expect(page.html).toContain(`name="id" value="${flag.gid}"`);
    // Every form carries the CSRF token.
    expect(page.html.match(/<form method="post"/g)!.length).toBe(page.html.match(/name="_csrf"/g)!.length);
  });

  it('hides a practice: the flag closes, the content is hidden, and the queue shows no hidden text', async () => {
    const practice = await createPractice(t.app, author, { title: 'Secretly awful zebra text', visibility: Visibility.TLP_GREEN });
    const flag = await createFlag(t.app, reporter, practice.gid);
    const client = await signedIn(moderator);
    await client.get('/moderation');
    const done = await client.post('/moderation/resolve', { id: flag.gid, action: 'HIDE', status: 'open' });
    expect([done.status, done.location]).toEqual([303, '/moderation?status=open&done=hidden']);
    const row = await flagRow(flag.id);
    expect(row.status).toBe(FlagStatus.HIDDEN);
    expect(row.resolved_by_id).toBe(moderator.member.id);
    expect(await hiddenAt(practice.id)).not.toBeNull();

    const banner = await client.get(done.location!);
    expect(textOf(banner.html)).toContain('The content is hidden. Its flags are closed.');
    expect(banner.html).not.toContain('Secretly awful zebra text');

    const hidden = await client.get('/moderation?status=hidden');
    const text = textOf(hidden.html);
    expect(text).toContain('Hidden practice');
    expect(text).toContain('This content is hidden, so its text is not shown.');
    expect(text).toContain(`Hidden by ${moderator.member.name} (Other Moderation Council)`);
    expect(hidden.html).not.toContain('Secretly awful zebra text');
    expect(hidden.html).not.toContain(`href="/practices/${practice.gid}"`);
    expect(hidden.html).toContain(`name="subjectId" value="${practice.gid}"`);
  });

  it('brings hidden content back, and says so when it is no longer hidden', async () => {
    const practice = await createPractice(t.app, author, { title: 'Back again zebra', visibility: Visibility.TLP_GREEN });
    const flag = await createFlag(t.app, reporter, practice.gid);
    const client = await signedIn(moderator);
    await client.get('/moderation');
    await client.post('/moderation/resolve', { id: flag.gid, action: 'HIDE', status: 'open' });
    await client.get('/moderation?status=hidden');
    const done = await client.post('/moderation/unhide', { subjectId: practice.gid, status: 'hidden' });
    expect([done.status, done.location]).toEqual([303, '/moderation?status=hidden&done=unhidden']);
    expect(await hiddenAt(practice.id)).toBeNull();
    const row = await flagRow(flag.id);
    expect(row.status).toBe(FlagStatus.UNHIDDEN);
    expect(row.unhidden_by_id).toBe(moderator.member.id);
    const back = await client.get('/moderation?status=unhidden');
    expect(textOf(back.html)).toContain(`Brought back by ${moderator.member.name}`);
    expect(back.html).toContain('Back again zebra');

    const again = await client.post('/moderation/unhide', { subjectId: practice.gid, status: 'hidden' });
    expect(again.status).toBe(409);
    expect(titleOf(again.html)).toBe('Error: Moderation – Practice Exchange');
    expect(textOf(again.html)).toContain('There is a problem This content is no longer hidden');
  });

  it('dismisses a flag, keeping the content, and refuses to resolve it twice', async () => {
    const practice = await createPractice(t.app, author, { title: 'Dismissed zebra', visibility: Visibility.TLP_GREEN });
    const flag = await createFlag(t.app, reporter, practice.gid);
    const client = await signedIn(moderator);
    await client.get('/moderation');
    const done = await client.post('/moderation/resolve', { id: flag.gid, action: 'DISMISS', status: 'open' });
    expect(done.location).toBe('/moderation?status=open&done=dismissed');
    expect((await flagRow(flag.id)).status).toBe(FlagStatus.DISMISSED);
    expect(await hiddenAt(practice.id)).toBeNull();
    const twice = await client.post('/moderation/resolve', { id: flag.gid, action: 'HIDE', status: 'open' });
    expect(twice.status).toBe(409);
    expect(textOf(twice.html)).toContain('Someone has already dealt with this flag');
    expect(twice.html).toContain(`href="#flag-${flag.gid}"`);
    expect(await hiddenAt(practice.id)).toBeNull();
  });

  it('hides a comment without showing its text afterwards, keeping the practice', async () => {
    const practice = await createPractice(t.app, author, { title: 'Commented zebra', visibility: Visibility.TLP_GREEN });
    const comment = await createComment(t.app, reporter, practice, 'Rude zebra remark');
    const flag = await createFlag(t.app, author, comment.gid);
    const client = await signedIn(moderator);
    const open = await client.get('/moderation');
    expect(textOf(open.html)).toContain('Rude zebra remark');
    await client.post('/moderation/resolve', { id: flag.gid, action: 'HIDE', status: 'open' });
    const hidden = await client.get('/moderation?status=hidden');
    expect(textOf(hidden.html)).toContain('Hidden comment on Commented zebra');
    expect(hidden.html).not.toContain('Rude zebra remark');
    expect(await hiddenAt(practice.id)).toBeNull();
  });

  it('refuses a form without its CSRF token, and anyone who may not moderate the content, writing nothing', async () => {
    const practice = await createPractice(t.app, author, { title: 'Refusals zebra', visibility: Visibility.TLP_GREEN });
    const flag = await createFlag(t.app, reporter, practice.gid);
    const client = await signedIn(moderator);
    await client.get('/moderation');
    expect((await client.post('/moderation/resolve', { _csrf: null, id: flag.gid, action: 'HIDE' })).status).toBe(403);
    expect((await client.post('/moderation/resolve', { _csrf: 'forged', id: flag.gid, action: 'HIDE' })).status).toBe(403);

    // A contributor with a valid form token: not found, as the API answers.
    const plain = await signedIn(contributor);
    // Any page's form gives this session's token.
    await plain.get('/sign-out');
    expect((await plain.post('/moderation/resolve', { id: flag.gid, action: 'HIDE' })).status).toBe(404);
    expect((await plain.post('/moderation/unhide', { subjectId: practice.gid })).status).toBe(404);

    // Another organisation's admin moderates their own organisation's content only.
    const admin = await signedIn(otherAdmin);
    const queue = await admin.get('/moderation');
    expect(queue.status).toBe(200);
    expect(queue.html).not.toContain('Refusals zebra');
    await admin.get('/sign-out');
    expect((await admin.post('/moderation/resolve', { id: flag.gid, action: 'HIDE' })).status).toBe(404);

    // A form no page sends: the "problem with the request" page.
    expect((await client.post('/moderation/resolve', { id: flag.gid, action: 'DELETE' })).status).toBe(400);
    expect((await client.post('/moderation/resolve', { id: 'not-an-id', action: 'HIDE' })).status).toBe(404);
    expect((await client.get('/moderation?status=everything')).status).toBe(400);

    expect((await flagRow(flag.id)).status).toBe(FlagStatus.OPEN);
    expect(await hiddenAt(practice.id)).toBeNull();

    // The practice's own organisation admin may.
    const own = await signedIn(kentAdmin);
    expect(textOf((await own.get('/moderation')).html)).toContain('Refusals zebra');
    const hidden = await own.post('/moderation/resolve', { id: flag.gid, action: 'HIDE' });
    expect(hidden.status).toBe(303);
    expect(await hiddenAt(practice.id)).not.toBeNull();
  });

  it('pages through a long queue', async () => {
    const practice = await createPractice(t.app, author, { title: 'Much flagged zebra', visibility: Visibility.TLP_GREEN });
    const reporters = await Promise.all(Array.from({ length: 22 }, () => createMember(t.app, other, [Role.CONTRIBUTOR])));
    for (const member of reporters) await createFlag(t.app, member, practice.gid);
    const client = await signedIn(moderator);
    const first = await client.get('/moderation');
    const next = /href="(\/moderation\?status=open&amp;after=[^"]+)"/.exec(first.html)![1]!.replace(/&amp;/g, '&');
    const second = await client.get(next);
    expect(second.status).toBe(200);
    expect(titleOf(second.html)).toMatch(/^Moderation \(page 2\)/);
    expect(second.html).toContain('Previous page');
  });
});
