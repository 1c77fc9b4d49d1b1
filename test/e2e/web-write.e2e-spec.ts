import { Role, toGlobalId, requireGlobalId, type OrganisationEntity } from '#identity';
import { PracticeService, PracticeStatus, Visibility } from '#practices';
import { createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WebClient, textOf, titleOf, type WebPage } from '../support/web-client.js';

/**
 * Writing practices on the web pages, over HTTP as a browser without JavaScript: a new draft (errors, then saved),
 * edits with the stale-revision conflict shown and nothing lost, publishing and archiving; PracticeService decides,
 * and a person it refuses gets the 404 page with nothing written.
 */
describe('web pages: writing practices', () => {
  let t: TestApp;
  let home: OrganisationEntity;
  let partner: OrganisationEntity;
  let writer: TestMember;
  let colleague: TestMember;
  let outsider: TestMember;
  let reader: TestMember;

  beforeAll(async () => {
    t = await startTestApp();
    home = await createOrganisation(t.app, { name: 'Writing Test Council' });
    partner = await createOrganisation(t.app, { name: 'Partner Test Council' });
    writer = await createMember(t.app, home, [Role.CONTRIBUTOR]);
    colleague = await createMember(t.app, home, [Role.CONTRIBUTOR]);
    outsider = await createMember(t.app, partner, [Role.CONTRIBUTOR, Role.ORG_ADMIN]);
    // A member with no role reads and comments, but does not write practices.
    reader = await createMember(t.app, home, []);
  });
  afterAll(() => t.close());

  async function as(member: TestMember): Promise<WebClient> {
    const browser = new WebClient(t.baseUrl);
    await browser.signIn(t.app, member.member);
    await browser.get('/sign-out');
    return browser;
  }

  const practiceCount = async () => Number(((await t.dataSource.query('SELECT COUNT(*) AS n FROM practice')) as { n: string }[])[0]!.n);
  const practiceRow = async (id: string) =>
    (
      (await t.dataSource.query(
        'SELECT title, summary, approach, status, revision, visibility, language, resources, published_at FROM practice WHERE id = $1',
        [id],
      )) as {
        title: string;
        summary: string;
        approach: string;
        status: PracticeStatus;
        revision: number;
        visibility: Visibility;
        language: string;
        resources: { title: string; url: string }[];
        published_at: Date | null;
      }[]
    )[0]!;
  const tagsOf = async (id: string) =>
    (
      (await t.dataSource.query('SELECT t.slug FROM practice_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.practice_id = $1 ORDER BY t.slug', [id])) as {
        slug: string;
      }[]
    ).map((r) => r.slug);
  const audienceOf = async (id: string) =>
    ((await t.dataSource.query('SELECT organisation_id FROM practice_audience WHERE practice_id = $1', [id])) as { organisation_id: string }[]).map(
      (r) => r.organisation_id,
    );

  /** The values of a form's fields as the page shows them (inputs, selected options, textareas, ticked boxes). */
  function formFields(html: string): Record<string, string | string[]> {
    const fields: Record<string, string | string[]> = {};
    const decode = (s: string) =>
      s
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
    for (const m of html.matchAll(/<input\b([^>]*)>/g)) {
      const attrs = m[1]!;
      const name = /name="([^"]+)"/.exec(attrs)?.[1];
      if (!name || name === '_csrf') continue;
      const value = decode(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
      if (/type="(radio|checkbox)"/.test(attrs)) {
        if (!/\schecked/.test(attrs)) continue;
        if (/type="checkbox"/.test(attrs)) fields[name] = [...((fields[name] as string[]) ?? []), value];
        else fields[name] = value;
      } else {
        fields[name] = value;
      }
    }
    for (const m of html.matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[m[1]!] = decode(m[2]!);
    for (const m of html.matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
      fields[m[1]!] = /<option value="([^"]*)" selected/.exec(m[2]!)?.[1] ?? '';
    return fields;
  }

  const complete = {
    title: 'Training poll clerks to spot <impersonation>',
    summary: 'A **half-day** course for poll clerks.',
    problem: 'Clerks did not know what to do.',
    approach: '- Role play\n- A checklist',
    outcomes: 'Every clerk trained.',
    'resource-1-title': 'Checklist',
    'resource-1-url': 'https://example.org/checklist.pdf',
    'resource-2-title': '',
    'resource-2-url': '',
    tags: 'Polling stations, Staff training, ',
    language: 'cy',
    visibility: 'TLP_AMBER',
    audience: [] as string[],
  };

  describe('a new practice', () => {
    it('is offered to writers on the practices list, and only to them', async () => {
      expect((await (await as(writer)).get('/practices')).html).toContain('href="/practices/new"');
      expect((await (await as(reader)).get('/practices')).html).not.toContain('href="/practices/new"');
      expect((await new WebClient(t.baseUrl).get('/practices')).html).not.toContain('href="/practices/new"');
      const form = await (await as(writer)).get('/practices/new');
      expect(form.status).toBe(200);
      expect(titleOf(form.html)).toBe('Post a practice – Practice Exchange');
      expect(form.headers.get('cache-control')).toBe('no-store');
      // Five resource rows, the four levels with their meaning, and the other organisations for TLP:AMBER.
      expect(form.html.match(/name="resource-\d-url"/g)).toHaveLength(5);
      for (const level of ['TLP_CLEAR', 'TLP_GREEN', 'TLP_AMBER', 'TLP_AMBER_STRICT']) expect(form.html).toContain(`value="${level}"`);
      expect(textOf(form.html)).toContain('TLP:AMBER Only the author&#39;s organisation and the organisations it names may read this.');
      expect(form.html).toContain(`value="${partner.slug}"`);
      expect(form.html).not.toContain(`value="${home.slug}"`);
      expect(formFields(form.html).language).toBe('en');
      const welsh = await (await as(writer)).get('/practices/new?lang=cy');
      expect(titleOf(welsh.html)).toBe('Postio arfer – Cyfnewidfa Arferion');
      expect(formFields(welsh.html).language).toBe('cy');
      expect(textOf(welsh.html)).toContain('Cymraeg');
    });

    it('is refused to people who may not write: sign in first, or the 404 page', async () => {
      const anonymous = await new WebClient(t.baseUrl).get('/practices/new');
      expect([anonymous.status, titleOf(anonymous.html)]).toEqual([401, 'Sign in to see this page – Practice Exchange']);
      const before = await practiceCount();
      const browser = await as(reader);
      expect((await browser.get('/practices/new')).status).toBe(404);
      expect((await browser.post('/practices/new', complete)).status).toBe(404);
      expect(await practiceCount()).toBe(before);
    });

    it('shows every problem in the order of the form, keeps what was typed, and writes nothing', async () => {
      const browser = await as(writer);
      await browser.get('/practices/new');
      const before = await practiceCount();
      const empty = await browser.post('/practices/new', { title: '', summary: '', problem: '', approach: '', outcomes: '', tags: '', language: 'en' });
      expect(empty.status).toBe(400);
      expect(titleOf(empty.html)).toBe('Error: Post a practice – Practice Exchange');
      expect(textOf(empty.html)).toContain(
        'There is a problem Enter a title Enter a summary Describe the problem Describe what you did Describe the outcomes and evidence Select who can read it',
      );
      for (const field of ['title', 'summary', 'problem', 'approach', 'outcomes', 'visibility']) expect(empty.html).toContain(`href="#${field}"`);

      const typed = {
        ...complete,
        title: 'x'.repeat(201),
        'resource-2-title': 'Slides',
        'resource-2-url': 'javascript:alert(1)',
        'resource-3-title': '',
        'resource-3-url': 'https://example.org/no-title',
        audience: [partner.slug],
      };
      const wrong = await browser.post('/practices/new', typed);
      expect(wrong.status).toBe(400);
      expect(textOf(wrong.html)).toContain(
        'There is a problem The title must be 200 characters or fewer Enter the web address of resource 2 in the correct format, starting with https:// Enter a title for resource 3',
      );
      expect(wrong.html).toContain('href="#resource-2-url"');
      expect(wrong.html).toContain('href="#resource-3-title"');
      const kept = formFields(wrong.html);
      expect(kept).toMatchObject({
        title: typed.title,
        summary: typed.summary,
        approach: typed.approach,
        'resource-1-url': typed['resource-1-url'],
        'resource-2-url': 'javascript:alert(1)',
        'resource-3-url': 'https://example.org/no-title',
        tags: 'Polling stations, Staff training,',
        language: 'cy',
        visibility: 'TLP_AMBER',
        audience: [partner.slug],
      });
      expect(await practiceCount()).toBe(before);

      const noLetters = await browser.post('/practices/new', { ...complete, tags: 'Phishing, !!!' });
      expect(noLetters.status).toBe(400);
      expect(textOf(noLetters.html)).toContain('Each topic must contain at least one letter or number');
      expect(await practiceCount()).toBe(before);
    });

    it('refuses a form without the token', async () => {
      const before = await practiceCount();
      const browser = await as(writer);
      expect((await browser.post('/practices/new', { ...complete, _csrf: null })).status).toBe(403);
      expect(await practiceCount()).toBe(before);
    });

    it("creates a draft of the writer's organisation and goes to it; the address carries no title", async () => {
      const browser = await as(writer);
      await browser.get('/practices/new');
      const saved = await browser.post('/practices/new', { ...complete, audience: [partner.slug] });
      expect(saved.status).toBe(303);
      const match = /^\/practices\/([A-Za-z0-9_-]+)\?done=created$/.exec(saved.location!);
      expect(match).not.toBeNull();
      const id = requireGlobalId(match![1]!, 'Practice');
      expect(await practiceRow(id)).toMatchObject({
        title: complete.title,
        summary: complete.summary,
        approach: '- Role play\n- A checklist',
        status: PracticeStatus.DRAFT,
        visibility: Visibility.TLP_AMBER,
        language: 'cy',
        resources: [{ title: 'Checklist', url: 'https://example.org/checklist.pdf' }],
      });
      expect(await tagsOf(id)).toEqual(['polling-stations', 'staff-training']);
      expect(await audienceOf(id)).toEqual([partner.id]);

      const page = await browser.get(saved.location!);
      expect(page.status).toBe(200);
      expect(titleOf(page.html)).toBe('Practice with restricted sharing – Practice Exchange');
      expect(textOf(page.html)).toContain('Your practice is saved as a draft.');
      expect(page.html).toContain(`href="/practices/${match![1]}/publish"`);
      expect(page.html).toContain(`href="/practices/${match![1]}/edit"`);
    });

    it('ignores organisations ticked under another level than TLP:AMBER', async () => {
      const browser = await as(writer);
      await browser.get('/practices/new');
      const saved = await browser.post('/practices/new', { ...complete, visibility: 'TLP_GREEN', audience: [partner.slug] });
      expect(saved.status).toBe(303);
      const id = requireGlobalId(/\/practices\/([^?]+)/.exec(saved.location!)![1]!, 'Practice');
      expect((await practiceRow(id)).visibility).toBe(Visibility.TLP_GREEN);
      expect(await audienceOf(id)).toEqual([]);
    });
  });

  describe('editing', () => {
    it('fills the form with the practice as saved and saves a change', async () => {
      const practice = await createPractice(t.app, writer, {
        visibility: Visibility.TLP_GREEN,
        title: 'Edit me',
        tags: ['Phishing', 'Staff training'],
        status: PracticeStatus.DRAFT,
      });
      // Another member of the same organisation may edit it too.
      const browser = await as(colleague);
      const form = await browser.get(`/practices/${practice.gid}/edit`);
      expect(form.status).toBe(200);
      expect(titleOf(form.html)).toBe('Edit practice – Practice Exchange');
      const fields = formFields(form.html);
      expect(fields).toMatchObject({ title: 'Edit me', tags: 'Phishing, Staff training', visibility: 'TLP_GREEN', expectedRevision: '1', language: 'en' });
      const saved = await browser.post(`/practices/${practice.gid}/edit`, { ...fields, title: 'Edited' });
      expect([saved.status, saved.location]).toEqual([303, `/practices/${practice.gid}?done=saved`]);
      expect(await practiceRow(practice.id)).toMatchObject({ title: 'Edited', revision: 2 });
      expect(textOf((await browser.get(saved.location!)).html)).toContain('Your changes are saved.');

      const invalid = await browser.post(`/practices/${practice.gid}/edit`, { ...fields, expectedRevision: '2', summary: '' });
      expect(invalid.status).toBe(400);
      expect(textOf(invalid.html)).toContain('Enter a summary');
      expect(formFields(invalid.html)).toMatchObject({ title: 'Edit me', expectedRevision: '2' });
      expect((await practiceRow(practice.id)).revision).toBe(2);
    });

    it('shows both versions on a stale revision, keeps what was typed, and saves on the second submit', async () => {
      const practice = await createPractice(t.app, writer, { visibility: Visibility.TLP_GREEN, title: 'Shared plan', summary: 'The first summary.' });
      const browser = await as(writer);
      const form = await browser.get(`/practices/${practice.gid}/edit`);
      const mine: Record<string, string | string[]> = { ...formFields(form.html), title: 'Shared plan, my version', summary: 'My summary, typed with care.' };
      expect(mine.expectedRevision).toBe(String(practice.revision));

      // Meanwhile a colleague saves their change.
      await t.app.get(PracticeService).update(colleague.actor, practice.id, { expectedRevision: practice.revision, summary: 'Their summary, saved first.' });
      const theirs = await practiceRow(practice.id);

      const conflict = await browser.post(`/practices/${practice.gid}/edit`, mine);
      expect(conflict.status).toBe(409);
      expect(titleOf(conflict.html)).toBe('Error: Edit practice – Practice Exchange');
      const text = textOf(conflict.html);
      expect(text).toContain('There is a problem Someone else changed this practice while you were editing it. Compare the two versions, then save again');
      expect(conflict.html).toContain('href="#conflict"');
      expect(conflict.html).toContain('id="conflict"');
      expect(text).toContain(`Saved version (revision ${theirs.revision}) Their summary, saved first.`);
      expect(text).toContain('Your version My summary, typed with care.');
      expect(text).toContain(`Saved version (revision ${theirs.revision}) Shared plan Your version Shared plan, my version`);
      // Fields nobody changed are not compared.
      expect(text).not.toContain('Outcomes and evidence Saved version');
      // Nothing lost: the form holds what was typed, based on the revision now seen.
      const kept = formFields(conflict.html);
      expect(kept).toMatchObject({ title: 'Shared plan, my version', summary: 'My summary, typed with care.', expectedRevision: String(theirs.revision) });
      expect(await practiceRow(practice.id)).toMatchObject({ summary: 'Their summary, saved first.', revision: theirs.revision });

      const saved = await browser.post(`/practices/${practice.gid}/edit`, kept);
      expect(saved.status).toBe(303);
      expect(await practiceRow(practice.id)).toMatchObject({
        title: 'Shared plan, my version',
        summary: 'My summary, typed with care.',
        revision: theirs.revision + 1,
      });
    });

    it('keeps an AMBER title out of <title> on its edit, publish and archive pages', async () => {
      const amber = await createPractice(t.app, writer, { visibility: Visibility.TLP_AMBER, title: 'Amber secret rota' });
      const browser = await as(writer);
      for (const path of ['edit', 'publish', 'archive']) {
        const page = await browser.get(`/practices/${amber.gid}/${path}`);
        expect([path, page.status]).toEqual([path, 200]);
        expect(titleOf(page.html)).not.toContain('Amber secret rota');
        expect(page.html).toContain('Amber secret rota</span>');
      }
    });

    it('refuses a member of another organisation with the 404 page, and writes nothing', async () => {
      const practice = await createPractice(t.app, writer, { visibility: Visibility.TLP_GREEN, title: 'Not theirs' });
      const browser = await as(outsider);
      expect((await browser.get(`/practices/${practice.gid}`)).status).toBe(200);
      expect((await browser.get(`/practices/${practice.gid}`)).html).not.toContain(`/practices/${practice.gid}/edit`);
      for (const path of ['edit', 'publish', 'archive']) {
        const page = await browser.get(`/practices/${practice.gid}/${path}`);
        expect([path, page.status, titleOf(page.html)]).toEqual([path, 404, 'Page not found – Practice Exchange']);
      }
      const before = await practiceRow(practice.id);
      expect(
        (await browser.post(`/practices/${practice.gid}/edit`, { ...complete, title: 'Taken over', expectedRevision: String(before.revision) })).status,
      ).toBe(404);
      expect((await browser.post(`/practices/${practice.gid}/archive`, {})).status).toBe(404);
      const draft = await createPractice(t.app, writer, { visibility: Visibility.TLP_GREEN, status: PracticeStatus.DRAFT });
      expect((await browser.post(`/practices/${draft.gid}/publish`, {})).status).toBe(404);
      expect(await practiceRow(practice.id)).toEqual(before);
      expect((await practiceRow(draft.id)).status).toBe(PracticeStatus.DRAFT);
      // A member of the organisation without the writer's role is refused the same way.
      expect((await (await as(reader)).post(`/practices/${practice.gid}/archive`, {})).status).toBe(404);
      expect((await practiceRow(practice.id)).status).toBe(PracticeStatus.PUBLISHED);
    });
  });

  describe('publishing and archiving', () => {
    async function confirmAndPost(browser: WebClient, gid: string, action: 'publish' | 'archive'): Promise<{ confirm: WebPage; done: WebPage }> {
      const confirm = await browser.get(`/practices/${gid}/${action}`);
      const done = await browser.post(`/practices/${gid}/${action}`, {});
      return { confirm, done };
    }

    it('publishes a draft after a confirmation page', async () => {
      const draft = await createPractice(t.app, writer, { visibility: Visibility.TLP_CLEAR, status: PracticeStatus.DRAFT });
      const browser = await as(writer);
      const { confirm, done } = await confirmAndPost(browser, draft.gid, 'publish');
      expect(titleOf(confirm.html)).toBe('Publish practice – Practice Exchange');
      expect(textOf(confirm.html)).toContain('TLP:CLEAR Anyone may read this, without signing in.');
      expect([done.status, done.location]).toEqual([303, `/practices/${draft.gid}?done=published`]);
      const row = await practiceRow(draft.id);
      expect(row.status).toBe(PracticeStatus.PUBLISHED);
      expect(row.published_at).not.toBeNull();
      expect(textOf((await new WebClient(t.baseUrl).get(`/practices/${draft.gid}`)).html)).toContain(row.title);
    });

    it('archives a published practice, refuses to archive a draft, and refuses edits until it is published again', async () => {
      const practice = await createPractice(t.app, writer, { visibility: Visibility.TLP_GREEN });
      const browser = await as(writer);
      const { confirm, done } = await confirmAndPost(browser, practice.gid, 'archive');
      expect(textOf(confirm.html)).toContain('it no longer appears in the list of practices or in search');
      expect([done.status, done.location]).toEqual([303, `/practices/${practice.gid}?done=archived`]);
      expect((await practiceRow(practice.id)).status).toBe(PracticeStatus.ARCHIVED);
      const page = await browser.get(done.location!);
      expect(textOf(page.html)).toContain('The practice is archived.');
      expect(page.html).toContain(`href="/practices/${practice.gid}/publish"`);
      expect(page.html).not.toContain(`href="/practices/${practice.gid}/edit"`);

      const form = await browser.get(`/practices/${practice.gid}/edit`);
      const refused = await browser.post(`/practices/${practice.gid}/edit`, { ...formFields(form.html), title: 'Changed while archived' });
      expect(refused.status).toBe(400);
      expect(textOf(refused.html)).toContain('This practice is archived. Publish it again before you edit it');
      expect(formFields(refused.html).title).toBe('Changed while archived');
      expect((await practiceRow(practice.id)).title).not.toBe('Changed while archived');

      expect((await browser.post(`/practices/${practice.gid}/publish`, {})).status).toBe(303);
      expect((await practiceRow(practice.id)).status).toBe(PracticeStatus.PUBLISHED);

      const draft = await createPractice(t.app, writer, { visibility: Visibility.TLP_GREEN, status: PracticeStatus.DRAFT });
      const draftRefused = await browser.post(`/practices/${draft.gid}/archive`, {});
      expect(draftRefused.status).toBe(400);
      expect(textOf(draftRefused.html)).toContain('A draft cannot be archived. Publish it first, or leave it as a draft');
      expect((await practiceRow(draft.id)).status).toBe(PracticeStatus.DRAFT);
    });

    it('refuses publish and archive forms without the token', async () => {
      const draft = await createPractice(t.app, writer, { visibility: Visibility.TLP_GREEN, status: PracticeStatus.DRAFT });
      const browser = await as(writer);
      expect((await browser.post(`/practices/${draft.gid}/publish`, { _csrf: null })).status).toBe(403);
      expect((await practiceRow(draft.id)).status).toBe(PracticeStatus.DRAFT);
      expect(toGlobalId('Practice', draft.id)).toBe(draft.gid);
    });
  });
});
