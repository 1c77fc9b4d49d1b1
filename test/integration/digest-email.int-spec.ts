import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { startSmtp, type SmtpSink } from '../support/smtp-sink.js';
import { loadConfig, type AppConfig } from '#config';
import { DigestError, DigestErrorCode } from '#digests';
import { renderDigestEmail, type DigestEntryView } from '../../libs/digests/src/email/digest-email.js';
import { createMailTransport, MailSendError, type MailTransport } from '../../libs/digests/src/email/mail-transport.js';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../libs/digests/src/email/unsubscribe-token.js';

/**
 * Digest mail against a real SMTP server (smtp-server, in this process, on 127.0.0.1): what arrives is parsed
 * with mailparser, as a receiving mail program would read it. Nothing leaves the machine.
 */

/** The sink, answering DATA or RCPT with `code` instead of accepting. */
async function refusingSmtp(options: { dataReply?: number; rcptReply?: number }): Promise<SmtpSink> {
  const smtp = await startSmtp();
  smtp.reply = options.dataReply ?? null;
  smtp.rcptReply = options.rcptReply ?? null;
  return smtp;
}

/** A port that was just free: nothing listens, so connecting is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const APP_SECRET = 'digest-email-test-secret-0123456789abcdef';
const PUBLIC_URL = 'https://practice-exchange.test';
let dataDir: string;

function config(env: Record<string, string>): AppConfig {
  return loadConfig(
    { NODE_ENV: 'test', APP_SECRET, PUBLIC_URL, MAIL_FROM: 'Practice Exchange <digests@practice-exchange.test>', DATA_DIR: dataDir, ...env },
    dataDir,
  );
}

const election = { slug: 'election-security', label: 'Election security' };
const disinformation = { slug: 'disinformation', label: 'Disinformation' };

function entries(): DigestEntryView[] {
  const at = new Date('2026-03-02T09:30:00Z');
  return [
    {
      title: 'Ballot box chain of custody',
      summary: 'Seals, logs and two-person rules.',
      organisationName: 'Kent County Council',
      tags: [election],
      url: `${PUBLIC_URL}/practices/p1`,
      visibility: 'TLP_CLEAR',
      publishedAt: at,
    },
    {
      title: '<script>alert(1)</script>',
      summary: 'Summary with <b>markup</b> & "quotes"',
      organisationName: 'Org <img src=x onerror=alert(2)>',
      tags: [disinformation, election],
      url: `${PUBLIC_URL}/practices/p2`,
      visibility: 'TLP_GREEN',
      publishedAt: at,
    },
    {
      title: 'Count centre access lists',
      summary: 'Who may enter, and how it is checked.',
      organisationName: 'Electoral Commission',
      tags: [election],
      url: `${PUBLIC_URL}/practices/p3`,
      visibility: 'TLP_AMBER_STRICT',
      publishedAt: at,
    },
    {
      title: 'Untagged practice',
      summary: 'No topic yet.',
      organisationName: 'Fife Council',
      tags: [],
      url: 'javascript:alert(3)',
      visibility: 'TLP_CLEAR',
      publishedAt: at,
    },
  ];
}

function digest(subscriptionId: string) {
  const unsubscribeUrl = `${PUBLIC_URL}/unsubscribe/${signUnsubscribeToken(subscriptionId, APP_SECRET)}`;
  const rendered = renderDigestEmail({
    recipientName: 'A. Officer',
    subscriptionName: 'Election security weekly',
    entries: entries(),
    unsubscribeUrl,
    manageUrl: `${PUBLIC_URL}/settings/digests`,
    platformUrl: PUBLIC_URL,
  });
  return { rendered, unsubscribeUrl };
}

function message(subscriptionId: string, messageId = `<digest-${randomUUID()}@practice-exchange.test>`) {
  const { rendered, unsubscribeUrl } = digest(subscriptionId);
  return {
    unsubscribeUrl,
    mail: {
      to: 'officer@kent.gov.uk',
      ...rendered,
      messageId,
      headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    },
  };
}

/** The unfolded value of a header as it arrived. */
function header(parsed: ParsedMail, name: string): string | undefined {
  const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]+:\s*/, '');
}

async function failure(promise: Promise<unknown>): Promise<MailSendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MailSendError) return error;
    throw error;
  }
  throw new Error('expected the send to fail');
}

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pe-digest-email-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('digest e-mail over SMTP', () => {
  let smtp: SmtpSink;
  let transport: MailTransport;

  beforeEach(async () => {
    smtp = await startSmtp();
    transport = createMailTransport(config({ SMTP_URL: smtp.url }));
  });

  afterEach(async () => {
    await transport.close();
    await smtp.close();
  });

  it('delivers HTML and plain text with the given Message-ID, From and the RFC 8058 one-click headers', async () => {
    const subscriptionId = randomUUID();
    const { mail, unsubscribeUrl } = message(subscriptionId);
    expect(transport.kind).toBe('smtp');
    await expect(transport.send(mail)).resolves.toEqual({ accepted: true });

    expect(smtp.messages).toHaveLength(1);
    const parsed = await simpleParser(smtp.messages[0]!.raw);
    expect(parsed.from?.value).toEqual([{ name: 'Practice Exchange', address: 'digests@practice-exchange.test' }]);
    expect((parsed.to as AddressObject).value.map((a) => a.address)).toEqual(['officer@kent.gov.uk']);
    expect(parsed.subject).toBe('Election security weekly: 4 new practices on Practice Exchange');
    expect(parsed.messageId).toBe(mail.messageId);
    expect(header(parsed, 'List-Unsubscribe')).toBe(`<${unsubscribeUrl}>`);
    expect(header(parsed, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    // The link in the header is the signed one, and verifies to this subscription only.
    const token = /\/unsubscribe\/([^>]+)>$/.exec(header(parsed, 'List-Unsubscribe')!)![1]!;
    expect(verifyUnsubscribeToken(token, APP_SECRET)).toBe(subscriptionId);

    const html = parsed.html as string;
    const text = parsed.text!;
    expect(html).toBeTruthy();
    expect(text).toBeTruthy();

    // Escaped, never a tag.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('Summary with &lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot;');
    expect(html).not.toContain('javascript:');
    expect(text).toContain('* <script>alert(1)</script>');

    // Grouped by the first tag, alphabetically, untagged last under "Other".
    const headings = [...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual(['Disinformation', 'Election security', 'Other']);
    const order = ['Disinformation', 'Ballot box chain of custody', 'Count centre access lists', 'Other', 'Untagged practice'].map((s) => text.indexOf(s));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);

    // Each entry: linked title, summary, organisation, tags, link; a bad URL is left out, not linked.
    expect(html).toContain(`<a href="${PUBLIC_URL}/practices/p1" style="color:#1d70b8">Ballot box chain of custody</a>`);
    expect(html).toContain('Seals, logs and two-person rules.');
    expect(html).toContain('Organisation: Kent County Council');
    expect(html).toContain('Tags: Disinformation, Election security');
    expect(html).toContain('TLP:AMBER+STRICT');
    expect(html).toMatch(/<h3[^>]*>Untagged practice<\/h3>/);
    expect(text).toContain(`  ${PUBLIC_URL}/practices/p3`);
    expect(text).toContain('  Organisation: Electoral Commission · Published 2 March 2026 · TLP:AMBER+STRICT');

    // Both parts end with the unsubscribe link.
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(hrefs.at(-1)).toBe(unsubscribeUrl);
    expect(text.trimEnd().split('\n').at(-1)).toBe(`Unsubscribe from this digest: ${unsubscribeUrl}`);
    expect(hrefs).toContain(`${PUBLIC_URL}/settings/digests`);
  });

  it('a retried delivery goes out with the same Message-ID, so a receiver can drop the duplicate', async () => {
    const { mail } = message(randomUUID());
    await transport.send(mail);
    await transport.send(mail);
    const ids = await Promise.all(smtp.messages.map(async (m) => (await simpleParser(m.raw)).messageId));
    expect(ids).toEqual([mail.messageId, mail.messageId]);
  });

  it('refuses a recipient that is not one address, and headers the transport owns', async () => {
    const { mail } = message(randomUUID());
    const list = await failure(transport.send({ ...mail, to: 'a@example.org, b@example.org' }));
    expect(list.temporary).toBe(false);
    const smuggled = await failure(transport.send({ ...mail, headers: { ...mail.headers, Bcc: 'someone@example.org' } }));
    expect(smuggled.temporary).toBe(false);
    expect(smtp.messages).toHaveLength(0);
  });
});

describe('SMTP failures', () => {
  const sinks: SmtpSink[] = [];
  const transports: MailTransport[] = [];

  async function transportTo(url: string): Promise<MailTransport> {
    const transport = createMailTransport(config({ SMTP_URL: url }));
    transports.push(transport);
    return transport;
  }

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
    await Promise.all(sinks.splice(0).map((s) => s.close()));
  });

  it('451 to DATA is temporary: retried later with backoff', async () => {
    const smtp = await refusingSmtp({ dataReply: 451 });
    sinks.push(smtp);
    const error = await failure((await transportTo(smtp.url)).send(message(randomUUID()).mail));
    expect(error).toMatchObject({ temporary: true, responseCode: 451 });
  });

  it('550 to DATA is permanent: recorded and shown to the member', async () => {
    const smtp = await refusingSmtp({ dataReply: 550 });
    sinks.push(smtp);
    const error = await failure((await transportTo(smtp.url)).send(message(randomUUID()).mail));
    expect(error).toMatchObject({ temporary: false, responseCode: 550 });
    expect(error.message).toContain('refused');
  });

  it('550 to RCPT (no such mailbox) is permanent', async () => {
    const smtp = await refusingSmtp({ rcptReply: 550 });
    sinks.push(smtp);
    const error = await failure((await transportTo(smtp.url)).send(message(randomUUID()).mail));
    expect(error).toMatchObject({ temporary: false, responseCode: 550 });
  });

  it('a refused connection (nothing listening) is temporary', async () => {
    const port = await closedPort();
    const error = await failure((await transportTo(`smtp://127.0.0.1:${port}`)).send(message(randomUUID()).mail));
    expect(error.temporary).toBe(true);
    expect(error.responseCode).toBeUndefined();
  });
});

describe('without SMTP_URL', () => {
  it('demo mode keeps each mail as a readable .eml file under <dataDir>/mail', async () => {
    const cfg = config({});
    expect(cfg.demoMode).toBe(true);
    const transport = createMailTransport(cfg);
    expect(transport.kind).toBe('eml-files');
    const { mail, unsubscribeUrl } = message(randomUUID(), '<digest-42@practice-exchange.test>');
    await expect(transport.send(mail)).resolves.toEqual({ accepted: true });
    await transport.close();

    const files = await readdir(path.join(dataDir, 'mail'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-digest-42_practice-exchange\.test\.eml$/);
    const raw = await readFile(path.join(dataDir, 'mail', files[0]!));
    const parsed = await simpleParser(raw);
    expect(parsed.messageId).toBe('<digest-42@practice-exchange.test>');
    expect(parsed.from?.value).toEqual([{ name: 'Practice Exchange', address: 'digests@practice-exchange.test' }]);
    expect(parsed.subject).toBe(mail.subject);
    expect(header(parsed, 'List-Unsubscribe')).toBe(`<${unsubscribeUrl}>`);
    expect(header(parsed, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(parsed.text).toContain('Ballot box chain of custody');
    expect(parsed.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('outside demo mode, creating the transport fails naming SMTP_URL', () => {
    const cfg = config({ DATABASE_URL: 'postgres://pe:pe@127.0.0.1:5432/pe' });
    expect(cfg.demoMode).toBe(false);
    expect(() => createMailTransport(cfg)).toThrow(/SMTP_URL/);
    try {
      createMailTransport(cfg);
    } catch (error) {
      expect(error).toBeInstanceOf(DigestError);
      expect((error as DigestError).code).toBe(DigestErrorCode.CHANNEL_UNAVAILABLE);
    }
  });
});

describe('renderDigestEmail', () => {
  const base = { recipientName: 'R', subscriptionName: 'S', manageUrl: `${PUBLIC_URL}/settings/digests`, platformUrl: PUBLIC_URL };

  it('links only http(s) URLs; others are left out, never linked', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const bad = ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', '/relative', 'not a url', 'ftp://example.org/x'];
    const { html, text } = renderDigestEmail({
      ...base,
      unsubscribeUrl: `${PUBLIC_URL}/unsubscribe/t`,
      entries: bad.map((url, i) => ({ title: `T${i}`, summary: '', organisationName: 'O', tags: [], url, visibility: 'TLP_CLEAR', publishedAt: at })),
    });
    for (const url of bad) {
      expect(html).not.toContain(url);
      expect(text).not.toContain(url);
    }
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual([PUBLIC_URL + '/', `${PUBLIC_URL}/settings/digests`, `${PUBLIC_URL}/unsubscribe/t`]);
  });

  it('escapes quotes in attributes, so a URL cannot break out of href', () => {
    const { html } = renderDigestEmail({
      ...base,
      unsubscribeUrl: `${PUBLIC_URL}/unsubscribe/t`,
      entries: [
        {
          title: 'x',
          summary: '',
          organisationName: 'O',
          tags: [],
          url: `${PUBLIC_URL}/p?a="><script>b</script>&c='d'`,
          visibility: 'TLP_CLEAR',
          publishedAt: new Date(),
        },
      ],
    });
    expect(html).not.toMatch(/<script/i);
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).not.toMatch(/[<>"']/);
  });

  it('refuses to render without an http(s) unsubscribe link', () => {
    expect(() => renderDigestEmail({ ...base, unsubscribeUrl: 'javascript:void(0)', entries: [] })).toThrow(/unsubscribe/);
  });
});
