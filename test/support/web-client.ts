import type { INestApplicationContext } from '@nestjs/common';
import { SESSION_COOKIE, SessionService, type MemberEntity } from '#identity';

/** One answer of a page, with what the tests look at. */
export interface WebPage {
  status: number;
  headers: Headers;
  html: string;
  location: string | null;
}

/**
 * A browser without JavaScript for the pages' HTTP tests: keeps cookies, follows nothing by itself, and posts forms
 * with the CSRF token of the last page it read.
 */
export class WebClient {
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page that had a form. */
  private lastToken: string | undefined;

  constructor(private readonly baseUrl: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<WebPage> {
    return this.request(path, { method: 'GET', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...headers } });
  }

  /** POSTs a form; `_csrf` comes from the last form read unless `fields` sets it (`null`: send none). */
  async post(path: string, fields: Record<string, string | string[] | null>): Promise<WebPage> {
    const body = new URLSearchParams();
    const token = '_csrf' in fields ? fields._csrf : this.lastToken;
    if (token) body.set('_csrf', token as string);
    for (const [name, value] of Object.entries(fields)) {
      if (name === '_csrf' || value === null) continue;
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    return this.request(path, { method: 'POST', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  }

  /**
   * POSTs a `multipart/form-data` form (a file upload), as a browser sends one: `_csrf` first, from the last form read
   * unless `fields` sets it (`null`: send none), then the fields, then the files.
   */
  async postMultipart(
    path: string,
    fields: Record<string, string | null>,
    files: Record<string, { name: string; type?: string; content: string | Buffer }> = {},
  ): Promise<WebPage> {
    const form = new FormData();
    const token = '_csrf' in fields ? fields._csrf : this.lastToken;
    if (token) form.append('_csrf', token);
    for (const [name, value] of Object.entries(fields)) if (name !== '_csrf' && value !== null) form.append(name, value);
    for (const [name, file] of Object.entries(files))
      form.append(
        name,
        new Blob([typeof file.content === 'string' ? file.content : new Uint8Array(file.content)], { type: file.type ?? 'application/octet-stream' }),
        file.name,
      );
    return this.request(path, { method: 'POST', headers: { accept: 'text/html' }, body: form });
  }

  /** Signs a member in as the ACS would: a real session, its cookie in this client. */
  async signIn(app: INestApplicationContext, member: MemberEntity, origin: Partial<Parameters<SessionService['start']>[1]> = {}): Promise<void> {
    const { cookie } = await app
      .get(SessionService)
      .start(member, { identityProviderId: null, nameId: null, sessionIndex: null, userAgent: 'web-client', ...origin });
    this.cookies.set(SESSION_COOKIE, cookie);
  }

  private async request(path: string, init: RequestInit): Promise<WebPage> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
    const response = await fetch(`${this.baseUrl}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = decodeURIComponent(pair!.slice(at + 1).trim());
      const expired =
        attributes.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]!).getTime() < Date.now()) ||
        attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const page = { status: response.status, headers: response.headers, html: await response.text(), location: response.headers.get('location') };
    this.lastToken = csrfTokenOf(page.html) ?? this.lastToken;
    return page;
  }
}

export function csrfTokenOf(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The text of `<title>` as a browser shows it: entities decoded, whitespace collapsed. */
export function titleOf(html: string): string {
  const raw = /<title[^>]*>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '';
  return raw
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The page's text without tags, whitespace collapsed (entities left as they are). */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
