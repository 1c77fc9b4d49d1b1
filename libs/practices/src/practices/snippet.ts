import { escapeHtml } from '#config';
import { ANGLE_CLOSE, ANGLE_OPEN, MARK_START, MARK_STOP } from './practice.repository.js';

/**
 * Turns a ts_headline extract into safe HTML: the text is escaped first, and only then are PostgreSQL's match
 * markers (control characters that cannot come from the stored text) turned into <mark> tags.
 */
export function renderSnippet(raw: string): string {
  const text = raw.split(ANGLE_OPEN).join('<').split(ANGLE_CLOSE).join('>');
  return escapeHtml(text).split(MARK_START).join('<mark>').split(MARK_STOP).join('</mark>');
}
