import type { AppConfig } from '#config';

/** This service's SAML endpoints for one organisation; the entity ID is the metadata URL. */
export function spUrls(config: AppConfig, organisationSlug: string) {
  const base = `${config.publicUrl}/auth/saml/${encodeURIComponent(organisationSlug)}`;
  return { entityId: `${base}/metadata`, acs: `${base}/acs`, slo: `${base}/slo`, login: `${base}/login`, metadata: `${base}/metadata` };
}

/**
 * `returnTo` as a same-origin relative path, or `/`: no scheme, no host, no `//` or backslash tricks, so a sign-in
 * link cannot send people elsewhere.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\s]/.test(value) || /^\/[^/]*:/.test(value)) return '/';
  try {
    const parsed = new URL(value, 'http://same.origin');
    return parsed.origin === 'http://same.origin' ? `${parsed.pathname}${parsed.search}${parsed.hash}` : '/';
  } catch {
    return '/';
  }
}
