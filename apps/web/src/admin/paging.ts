import { single } from '../forms/form-errors.js';

/**
 * Where a list page is: the cursor of this page (empty on the first) and the cursors of the pages before it, oldest
 * first (`-` stands for the first page), so "Previous page" needs no backwards query.
 */
export interface Paging {
  after: string;
  back: string[];
}

/** Cursors are base64url, so a comma never appears in one. */
export function readPaging(query: Record<string, unknown>): Paging {
  return { after: single(query.after), back: single(query.back).split(',').filter(Boolean) };
}

export interface PageLinks {
  /** 1 for the first page. */
  number: number;
  previous: { href: string } | null;
  next: { href: string } | null;
}

/**
 * The pagination links of a list at `path` whose other query parameters are `params`; `endCursor` is this page's
 * last row's cursor when more rows follow.
 */
export function pageLinks(path: string, params: Record<string, string | undefined>, paging: Paging, nextCursor: string | null): PageLinks {
  const href = (after: string, back: string[]) => {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
    if (after) query.set('after', after);
    if (back.length) query.set('back', back.join(','));
    const text = query.toString();
    return `${path}${text ? `?${text}` : ''}`;
  };
  const previousCursor = paging.back.at(-1);
  return {
    number: paging.back.length + 1,
    previous: paging.after ? { href: href(previousCursor === '-' ? '' : (previousCursor ?? ''), paging.back.slice(0, -1)) } : null,
    next: nextCursor ? { href: href(nextCursor, [...paging.back, paging.after || '-']) } : null,
  };
}
