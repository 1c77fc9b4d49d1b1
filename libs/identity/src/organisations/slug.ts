/**
 * The one shape of a slug (an organisation's slug, an identity provider's key): lower-case letters and digits in
 * runs joined by single hyphens, such as `kent` or `east-sussex`. Lengths are each caller's own bound.
 */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isSlug(value: string): boolean {
  return SLUG_PATTERN.test(value);
}
