import { Actor, Role, toGlobalId, type OrganisationEntity } from '#identity';
import { PracticeService, PracticeStatus, RevisionRepository, Visibility } from '#practices';
import { createComment, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WebClient, textOf, titleOf } from '../support/web-client.js';

/**
 * What a reader does on a practice's page, over HTTP as a browser without JavaScript: comments and replies, editing
 * and deleting their own, recording an adoption, flagging, and the revision history under the revision read rule.
 * After every POST the database says what was (or was not) written.
 */
describe('web pages: comments, adoptions, flags and revisions of a practice', () => {
  let t: TestApp;
  let home: OrganisationEntity;
  let other: OrganisationEntity;
  let author: TestMember;
  let reader: TestMember;
  let practice: Awaited<ReturnType<typeof createPractice>>;

  beforeAll(async () => {
    t = await startTestApp();
    home = await createOrganisation(t.app, { name: 'Home Test Council' });
    other = await createOrganisation(t.app, { name: 'Reader Test Council' });
    author = await createMember(t.app, home, [Role.CONTRIBUTOR]);
    reader = await createMember(t.app, other, [Role.CONTRIBUTOR]);
    practice = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, title: 'Green canvassing checks' });
  });
  afterAll(() => t.close());

  /** A browser signed in as `member`, holding its session's form token (the sign-out page has a form). */
  async function as(member: TestMember): Promise<WebClient> {
    const browser = new WebClient(t.baseUrl);
    await browser.signIn(t.app, member.member);
    await browser.get('/sign-out');
    return browser;
  }

  /** A browser that is not signed in, holding its form token (the start page has the sign-in form). */
  async function anonymousBrowser(): Promise<WebClient> {
    const browser = new WebClient(t.baseUrl);
    await browser.get('/');
    return browser;
  }

  const count = async (sql: string, params: unknown[] = []) => Number(((await t.dataSource.query(sql, params)) as { n: string }[])[0]!.n);
  const commentsOf = (practiceId: string) => count('SELECT COUNT(*) AS n FROM comment WHERE practice_id = $1', [practiceId]);
  const commentRow = async (id: string) =>
    (
      (await t.dataSource.query('SELECT * FROM comment WHERE id = $1', [id])) as {
        body: string;
        edited_at: Date | null;
        deleted_at: Date | null;
        parent_id: string | null;
      }[]
    )[0]!;

  describe('comments', () => {
    it('adds a comment from the practice page, rendered as markdown, with a success banner', async () => {
      const browser = await as(reader);
      const page = await browser.get(`/practices/${practice.gid}`);
      expect(page.html).toContain(`action="/practices/${practice.gid}/comments"`);
      expect(textOf(page.html)).toContain('Add a comment');
      const posted = await browser.post(`/practices/${practice.gid}/comments`, { body: 'A **great** idea.\r\n\r\n<script>alert(1)</script>' });
      expect(posted.status).toBe(303);
      const row = (
        (await t.dataSource.query('SELECT id, body, author_id FROM comment WHERE practice_id = $1 ORDER BY created_at DESC LIMIT 1', [practice.id])) as {
          id: string;
          body: string;
          author_id: string;
        }[]
      )[0]!;
      expect(row).toMatchObject({ body: 'A **great** idea.\n\n<script>alert(1)</script>', author_id: reader.member.id });
      expect(posted.location).toMatch(new RegExp(`^/practices/${practice.gid}\\?done=commented#comment-`));
      const after = await browser.get(posted.location!);
      expect(textOf(after.html)).toContain('Your comment is posted.');
      expect(after.html).toContain('A <strong>great</strong> idea.');
      expect(after.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(after.html).not.toContain('<script>alert(1)');
    });

    it('shows the error summary and keeps what was typed; writes nothing', async () => {
      const browser = await as(reader);
      await browser.get(`/practices/${practice.gid}`);
      const before = await commentsOf(practice.id);
      const empty = await browser.post(`/practices/${practice.gid}/comments`, { body: '   ' });
      expect(empty.status).toBe(400);
      expect(titleOf(empty.html)).toBe('Error: Green canvassing checks – Practice Exchange');
      expect(textOf(empty.html)).toContain('There is a problem Enter your comment');
      expect(empty.html).toContain('href="#body"');
      const long = 'x'.repeat(5001);
      const tooLong = await browser.post(`/practices/${practice.gid}/comments`, { body: long });
      expect(tooLong.status).toBe(400);
      expect(textOf(tooLong.html)).toContain('Your comment must be 5,000 characters or fewer');
      expect(tooLong.html).toContain(`>${long}</textarea>`);
      expect(await commentsOf(practice.id)).toBe(before);
    });

    it('refuses a form without the token, and a visitor who is not signed in; writes nothing', async () => {
      const before = await commentsOf(practice.id);
      const browser = await as(reader);
      await browser.get(`/practices/${practice.gid}`);
      expect((await browser.post(`/practices/${practice.gid}/comments`, { _csrf: null, body: 'Hello' })).status).toBe(403);
      const anonymous = await anonymousBrowser();
      const page = await anonymous.get(`/practices/${practice.gid}`);
      expect(page.status).toBe(404); // GREEN: members only
      const clear = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR });
      const clearPage = await anonymous.get(`/practices/${clear.gid}`);
      expect(clearPage.html).not.toContain('name="body"');
      expect(textOf(clearPage.html)).toContain('Sign in to comment, record an adoption or report this practice');
      expect((await anonymous.post(`/practices/${clear.gid}/comments`, { body: 'Hello' })).status).toBe(401);
      expect(await commentsOf(practice.id)).toBe(before);
      expect(await commentsOf(clear.id)).toBe(0);
    });

    it('replies to a top-level comment, one level deep only', async () => {
      const comment = await createComment(t.app, reader, practice, 'Did it work for postal votes?');
      const browser = await as(author);
      const page = await browser.get(`/practices/${practice.gid}`);
      expect(page.html).toContain(`href="/practices/${practice.gid}/comments/${comment.gid}/reply"`);
      const form = await browser.get(`/practices/${practice.gid}/comments/${comment.gid}/reply`);
      expect(form.status).toBe(200);
      expect(titleOf(form.html)).toBe('Reply to a comment – Practice Exchange');
      expect(textOf(form.html)).toContain('Did it work for postal votes?');
      const empty = await browser.post(`/practices/${practice.gid}/comments/${comment.gid}/reply`, { body: '' });
      expect(empty.status).toBe(400);
      expect(textOf(empty.html)).toContain('Enter your comment');
      const posted = await browser.post(`/practices/${practice.gid}/comments/${comment.gid}/reply`, { body: 'Yes, for those too.' });
      expect(posted.status).toBe(303);
      expect(posted.location).toContain('?done=replied#comment-');
      const reply = (
        (await t.dataSource.query('SELECT id, parent_id, author_id FROM comment WHERE body = $1', ['Yes, for those too.'])) as {
          id: string;
          parent_id: string;
          author_id: string;
        }[]
      )[0]!;
      expect(reply).toMatchObject({ parent_id: comment.id, author_id: author.member.id });
      // A reply has no reply page of its own.
      const replyGid = toGlobalId('Comment', reply.id);
      expect((await browser.get(`/practices/${practice.gid}/comments/${replyGid}/reply`)).status).toBe(404);
      expect((await browser.post(`/practices/${practice.gid}/comments/${replyGid}/reply`, { body: 'Deeper' })).status).toBe(404);
      expect(await count('SELECT COUNT(*) AS n FROM comment WHERE body = $1', ['Deeper'])).toBe(0);
    });

    it('lets the author edit and delete their own comment', async () => {
      const comment = await createComment(t.app, reader, practice, 'First thoughts.');
      const browser = await as(reader);
      const page = await browser.get(`/practices/${practice.gid}`);
      expect(page.html).toContain(`href="/practices/${practice.gid}/comments/${comment.gid}/edit"`);
      const form = await browser.get(`/practices/${practice.gid}/comments/${comment.gid}/edit`);
      expect(form.status).toBe(200);
      expect(form.html).toContain('>First thoughts.</textarea>');
      const empty = await browser.post(`/practices/${practice.gid}/comments/${comment.gid}/edit`, { body: '' });
      expect(empty.status).toBe(400);
      expect((await commentRow(comment.id)).body).toBe('First thoughts.');
      const saved = await browser.post(`/practices/${practice.gid}/comments/${comment.gid}/edit`, { body: 'Second thoughts.' });
      expect([saved.status, saved.location]).toEqual([303, `/practices/${practice.gid}?done=comment-edited#comment-${comment.gid}`]);
      const edited = await commentRow(comment.id);
      expect(edited.body).toBe('Second thoughts.');
      expect(edited.edited_at).not.toBeNull();
      expect(textOf((await browser.get(`/practices/${practice.gid}`)).html)).toContain('Second thoughts. ');

      const confirm = await browser.get(`/practices/${practice.gid}/comments/${comment.gid}/delete`);
      expect(confirm.status).toBe(200);
      expect(textOf(confirm.html)).toContain('Are you sure you want to delete your comment?');
      expect((await commentRow(comment.id)).deleted_at).toBeNull();
      const deleted = await browser.post(`/practices/${practice.gid}/comments/${comment.gid}/delete`, {});
      expect(deleted.status).toBe(303);
      expect((await commentRow(comment.id)).deleted_at).not.toBeNull();
      const after = await browser.get(`/practices/${practice.gid}`);
      expect(textOf(after.html)).toContain('This comment was deleted by its author.');
      // A deleted comment cannot be edited, deleted again or replied to.
      expect((await browser.get(`/practices/${practice.gid}/comments/${comment.gid}/edit`)).status).toBe(404);
    });

    it("refuses another person's comment with the 404 page, and changes nothing", async () => {
      const comment = await createComment(t.app, reader, practice, 'Mine, not yours.');
      const browser = await as(author);
      const page = await browser.get(`/practices/${practice.gid}`);
      expect(page.html).not.toContain(`/comments/${comment.gid}/edit`);
      expect(page.html).not.toContain(`/comments/${comment.gid}/delete`);
      for (const path of ['edit', 'delete']) {
        const refused = await browser.get(`/practices/${practice.gid}/comments/${comment.gid}/${path}`);
        expect([path, refused.status, titleOf(refused.html)]).toEqual([path, 404, 'Page not found – Practice Exchange']);
      }
      expect((await browser.post(`/practices/${practice.gid}/comments/${comment.gid}/edit`, { body: 'Hijacked' })).status).toBe(404);
      expect((await browser.post(`/practices/${practice.gid}/comments/${comment.gid}/delete`, {})).status).toBe(404);
      expect(await commentRow(comment.id)).toMatchObject({ body: 'Mine, not yours.', edited_at: null, deleted_at: null });
      // Nor through another practice's address.
      const elsewhere = await createPractice(t.app, reader, { visibility: Visibility.TLP_GREEN });
      const own = await as(reader);
      expect((await own.get(`/practices/${elsewhere.gid}/comments/${comment.gid}/edit`)).status).toBe(404);
    });

    it('does not take comments on a draft, even from its own organisation', async () => {
      const draft = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, status: PracticeStatus.DRAFT });
      const browser = await as(author);
      const page = await browser.get(`/practices/${draft.gid}`);
      expect(page.html).not.toContain('name="body"');
      expect(textOf(page.html)).toContain('Comments open once the practice is published.');
      expect((await browser.post(`/practices/${draft.gid}/comments`, { body: 'Early' })).status).toBe(404);
      expect((await (await as(reader)).post(`/practices/${draft.gid}/comments`, { body: 'Early' })).status).toBe(404);
      expect(await commentsOf(draft.id)).toBe(0);
    });
  });

  describe('adoptions', () => {
    const adoptions = async (practiceId: string) =>
      (await t.dataSource.query('SELECT organisation_id, member_id, note, outcome FROM adoption WHERE practice_id = $1', [practiceId])) as {
        organisation_id: string;
        member_id: string;
        note: string;
        outcome: string;
      }[];

    it('records "we adopted this" with a note and an outcome, and updates it when recorded again', async () => {
      const target = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });
      const browser = await as(reader);
      const page = await browser.get(`/practices/${target.gid}`);
      expect(page.html).toContain(`href="/practices/${target.gid}/adoption"`);
      const form = await browser.get(`/practices/${target.gid}/adoption`);
      expect(titleOf(form.html)).toBe('Record an adoption – Practice Exchange');
      const empty = await browser.post(`/practices/${target.gid}/adoption`, { outcome: '', note: '' });
      expect(empty.status).toBe(400);
      expect(textOf(empty.html)).toContain('There is a problem Enter the outcome Enter how you used it');
      const half = await browser.post(`/practices/${target.gid}/adoption`, { outcome: 'Fewer clicks', note: '' });
      expect(half.html).toContain('value="Fewer clicks"');
      expect(await adoptions(target.id)).toEqual([]);

      const saved = await browser.post(`/practices/${target.gid}/adoption`, { outcome: 'Fewer clicks', note: 'We ran it for our councillors.' });
      expect([saved.status, saved.location]).toEqual([303, `/practices/${target.gid}?done=adopted#adoptions`]);
      expect(await adoptions(target.id)).toEqual([
        { organisation_id: other.id, member_id: reader.member.id, note: 'We ran it for our councillors.', outcome: 'Fewer clicks' },
      ]);
      const after = await browser.get(saved.location!);
      expect(textOf(after.html)).toContain('Adopted by 1 organisation');
      expect(textOf(after.html)).toContain('Reader Test Council');

      const again = await browser.get(`/practices/${target.gid}/adoption`);
      expect(again.html).toContain('value="Fewer clicks"');
      expect(textOf(again.html)).toContain('Your organisation has already recorded adopting this practice.');
      await browser.post(`/practices/${target.gid}/adoption`, { outcome: 'Half the clicks', note: 'And the elections team.', updating: 'yes' });
      expect(await adoptions(target.id)).toEqual([
        { organisation_id: other.id, member_id: reader.member.id, note: 'And the elections team.', outcome: 'Half the clicks' },
      ]);
    });

    it('refuses a draft and a visitor who may not read the practice; writes nothing', async () => {
      const draft = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, status: PracticeStatus.DRAFT });
      const amber = await createPractice(t.app, author, { visibility: Visibility.TLP_AMBER });
      const browser = await as(reader);
      expect((await browser.get(`/practices/${draft.gid}/adoption`)).status).toBe(404);
      expect((await browser.post(`/practices/${amber.gid}/adoption`, { outcome: 'x', note: 'y' })).status).toBe(404);
      expect((await (await as(author)).post(`/practices/${draft.gid}/adoption`, { outcome: 'x', note: 'y' })).status).toBe(404);
      expect(await adoptions(draft.id)).toEqual([]);
      expect(await adoptions(amber.id)).toEqual([]);
    });
  });

  describe('flags', () => {
    const flags = async (practiceId: string) =>
      (await t.dataSource.query('SELECT reason, note, comment_id, reporter_id FROM flag WHERE practice_id = $1 ORDER BY created_at', [practiceId])) as {
        reason: string;
        note: string;
        comment_id: string | null;
        reporter_id: string;
      }[];

    it('flags the practice with a reason and a note', async () => {
      const target = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });
      const browser = await as(reader);
      const page = await browser.get(`/practices/${target.gid}`);
      expect(page.html).toContain(`href="/practices/${target.gid}/flag"`);
      const form = await browser.get(`/practices/${target.gid}/flag`);
      expect(titleOf(form.html)).toBe('Report this practice – Practice Exchange');
      for (const reason of ['PARTY_POLITICAL', 'ABUSIVE', 'FALSE_INFORMATION', 'OTHER']) expect(form.html).toContain(`value="${reason}"`);
      const none = await browser.post(`/practices/${target.gid}/flag`, { note: 'See the third paragraph.' });
      expect(none.status).toBe(400);
      expect(textOf(none.html)).toContain('Select why you are reporting it');
      expect(none.html).toContain('See the third paragraph.</textarea>');
      const wrong = await browser.post(`/practices/${target.gid}/flag`, { reason: 'BORING' });
      expect(wrong.status).toBe(400);
      expect(await flags(target.id)).toEqual([]);

      const sent = await browser.post(`/practices/${target.gid}/flag`, { reason: 'PARTY_POLITICAL', note: 'It names a candidate.' });
      expect([sent.status, sent.location]).toEqual([303, `/practices/${target.gid}?done=flagged`]);
      expect(await flags(target.id)).toEqual([{ reason: 'PARTY_POLITICAL', note: 'It names a candidate.', comment_id: null, reporter_id: reader.member.id }]);
      expect(textOf((await browser.get(sent.location!)).html)).toContain('Thank you. The moderators will look at your report.');
    });

    it('flags a comment', async () => {
      const target = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });
      const comment = await createComment(t.app, author, target, 'Vote for the Purple Party!');
      const browser = await as(reader);
      const page = await browser.get(`/practices/${target.gid}`);
      expect(page.html).toContain(`href="/practices/${target.gid}/comments/${comment.gid}/flag"`);
      const form = await browser.get(`/practices/${target.gid}/comments/${comment.gid}/flag`);
      expect(titleOf(form.html)).toBe('Report a comment – Practice Exchange');
      expect(textOf(form.html)).toContain('Vote for the Purple Party!');
      const sent = await browser.post(`/practices/${target.gid}/comments/${comment.gid}/flag`, { reason: 'PARTY_POLITICAL', note: '' });
      expect(sent.status).toBe(303);
      expect(await flags(target.id)).toEqual([{ reason: 'PARTY_POLITICAL', note: '', comment_id: comment.id, reporter_id: reader.member.id }]);
    });

    it('refuses a flag without the token and one from a visitor who is not signed in', async () => {
      const target = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR });
      const browser = await as(reader);
      await browser.get(`/practices/${target.gid}/flag`);
      expect((await browser.post(`/practices/${target.gid}/flag`, { _csrf: null, reason: 'ABUSIVE' })).status).toBe(403);
      expect((await (await anonymousBrowser()).post(`/practices/${target.gid}/flag`, { reason: 'ABUSIVE' })).status).toBe(401);
      expect(await flags(target.id)).toEqual([]);
    });
  });

  describe('revision history', () => {
    /**
     * A practice written as an AMBER draft, published as AMBER, then released as CLEAR with the secret taken out:
     * revisions 1 and 2 (drafts) and 3 (AMBER) are its organisation's; revision 4 is everyone's.
     */
    async function releasedPractice() {
      const service = t.app.get(PracticeService);
      const content = {
        title: 'Count centre security',
        summary: 'We searched bags at the count. SECRET-ROTA the rota is on the shared drive.',
        problem: 'Tension at the count.',
        approach: 'Searches at the door.',
        outcomes: 'A calm count.',
        tags: ['Count security'],
        visibility: Visibility.TLP_AMBER,
      };
      let row = await service.create(author.actor, content);
      row = await service.update(author.actor, row.id, { expectedRevision: row.revision, approach: 'Searches at the door, <b>politely</b>.' });
      row = await service.publish(author.actor, row.id);
      row = await service.update(author.actor, row.id, {
        expectedRevision: row.revision,
        visibility: Visibility.TLP_CLEAR,
        summary: 'We searched bags at the count.',
      });
      return { id: row.id, gid: toGlobalId('Practice', row.id), revision: row.revision };
    }

    it('lists only the revisions a visitor may read, with editor, date, status and level', async () => {
      const released = await releasedPractice();
      expect(released.revision).toBe(4);
      const anonymous = new WebClient(t.baseUrl);
      const page = await anonymous.get(`/practices/${released.gid}`);
      expect(page.status).toBe(200);
      const history = textOf(page.html.slice(page.html.indexOf('id="revisions"')));
      expect(history).toContain('Revision history');
      expect(history).toMatch(/4 \d+ \w+ \d{4} A member Published TLP:CLEAR/);
      expect(page.html).not.toContain('TLP:AMBER');
      expect(page.html).not.toContain('SECRET-ROTA');
      const list = await anonymous.get(`/practices/${released.gid}/revisions`);
      expect(list.status).toBe(200);
      expect(titleOf(list.html)).toBe('Revision history – Practice Exchange');
      expect(list.html).not.toContain('SECRET-ROTA');
      expect(list.html).not.toContain('TLP:AMBER');
      expect(list.html).not.toMatch(/<option value="[123]"/);

      const colleague = await as(author);
      const full = await colleague.get(`/practices/${released.gid}/revisions`);
      const rows = textOf(full.html.slice(full.html.indexOf('All revisions you can see')));
      expect(rows).toMatch(new RegExp(`3 \\d+ \\w+ \\d{4} ${author.member.name} Published TLP:AMBER`));
      expect(rows).toMatch(new RegExp(`1 \\d+ \\w+ \\d{4} ${author.member.name} Draft TLP:AMBER`));
      // The other organisation's member reads the CLEAR practice, not its AMBER past.
      const outsider = await (await as(reader)).get(`/practices/${released.gid}/revisions`);
      expect(outsider.html).not.toContain('SECRET-ROTA');
      expect(outsider.html).not.toMatch(/<option value="[123]"/);
    });

    it('compares two revisions word by word, escaped, and refuses revisions the visitor may not read', async () => {
      const released = await releasedPractice();
      const colleague = await as(author);
      const diff = await colleague.get(`/practices/${released.gid}/revisions?from=1&to=4`);
      expect(diff.status).toBe(200);
      expect(textOf(diff.html)).toContain('Changes from revision 1 to revision 4');
      expect(diff.html).toContain(
        'We searched bags at the count.<del><span class="govuk-visually-hidden">Removed: </span> SECRET-ROTA the rota is on the shared drive.</del>',
      );
      expect(diff.html).toContain('Searches at the door<ins><span class="govuk-visually-hidden">Added: </span>, &lt;b&gt;politely&lt;/b&gt;</ins>.');
      expect(diff.html).not.toContain('<b>politely</b>');
      expect(diff.html).toContain(
        'TLP:<del><span class="govuk-visually-hidden">Removed: </span>AMBER</del><ins><span class="govuk-visually-hidden">Added: </span>CLEAR</ins>',
      );
      // Unchanged fields are not listed.
      expect(textOf(diff.html)).not.toContain('Outcomes and evidence');

      const anonymous = new WebClient(t.baseUrl);
      const refused = await anonymous.get(`/practices/${released.gid}/revisions?from=3&to=4`);
      expect(refused.status).toBe(400);
      expect(textOf(refused.html)).toContain('There is no revision 3 that you can see');
      expect(refused.html).not.toContain('SECRET-ROTA');
      const outsider = await (await as(reader)).get(`/practices/${released.gid}/revisions?from=2&to=4`);
      expect(textOf(outsider.html)).toContain('There is no revision 2 that you can see');
      expect(outsider.html).not.toContain('politely');

      const same = await colleague.get(`/practices/${released.gid}/revisions?from=4&to=4`);
      expect(textOf(same.html)).toContain('Choose two different revisions');
      const junk = await colleague.get(`/practices/${released.gid}/revisions?from=first&to=4`);
      expect(junk.status).toBe(400);
      expect(textOf(junk.html)).toContain('Choose a revision from the list');
      expect(junk.html).toContain('href="#from"');
    });

    it('finds revisions by number under the revision read rule', async () => {
      const released = await releasedPractice();
      const revisions = t.app.get(RevisionRepository);
      expect((await revisions.findVisibleByNumbers(Actor.anonymous().viewer, released.id, [1, 2, 3, 4])).map((r) => r.revision)).toEqual([4]);
      expect((await revisions.findVisibleByNumbers(author.actor.viewer, released.id, [3, 1, 9])).map((r) => r.revision)).toEqual([1, 3]);
      expect(await revisions.findVisibleByNumbers(author.actor.viewer, released.id, [])).toEqual([]);
    });

    it('answers 404 for the revisions of a practice the visitor may not read', async () => {
      const amber = await createPractice(t.app, author, { visibility: Visibility.TLP_AMBER });
      expect((await new WebClient(t.baseUrl).get(`/practices/${amber.gid}/revisions`)).status).toBe(404);
      expect((await (await as(reader)).get(`/practices/${amber.gid}/revisions?from=1&to=2`)).status).toBe(404);
    });
  });
});
