import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { AppConfig, cspNonce, escapeHtml } from '#config';
import { Public } from '#identity';
import type { Response } from 'express';
import { DEMO_MEMBERS, DEMO_ORGANISATIONS } from './demo-data.js';
import { DemoIdpKeys } from './demo-idp.keys.js';
import { demoIdpMetadata, demoLoginResponse, readAuthnRequest } from './demo-idp.saml.js';

export const DEMO_IDP_ENTITY_ID = 'urn:practice-exchange:demo-idp';

/** A plain page; its inline style and `script` (fixed code, never input) carry the response's CSP nonce. */
function html(res: Response, title: string, content: string, script?: string): string {
  const nonce = cspNonce(res);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${nonce}">body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{margin:.2rem 0;padding:.4rem .8rem}</style></head><body>${content}${script ? `<script nonce="${nonce}">${script}</script>` : ''}</body></html>`;
}

/** The organisation slug of one of this service's SP entity IDs (`<PUBLIC_URL>/auth/saml/<slug>/metadata`). */
function organisationOfIssuer(publicUrl: string, issuer: string): string | undefined {
  const prefix = `${publicUrl}/auth/saml/`;
  if (!issuer.startsWith(prefix) || !issuer.endsWith('/metadata')) return undefined;
  const slug = issuer.slice(prefix.length, -'/metadata'.length);
  return slug && !slug.includes('/') ? slug : undefined;
}

/**
 * A stand-in identity provider for demo mode only (the module is not loaded otherwise): pick a demo user, and it
 * answers the service's AuthnRequest with a signed response, like a council's real IdP would.
 */
@Controller('demo-idp')
export class DemoIdpController {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: DemoIdpKeys,
  ) {}

  @Public()
  @Get('metadata')
  metadata(@Res() res: Response): void {
    res.type('application/samlmetadata+xml').send(demoIdpMetadata(DEMO_IDP_ENTITY_ID, `${this.config.publicUrl}/demo-idp/sso`, this.keys));
  }

  /** The IdP's sign-in page: the demo users of the organisation whose service asked. */
  @Public()
  @Get('sso')
  sso(@Query('SAMLRequest') samlRequest: string | undefined, @Query('RelayState') relayState: string | undefined, @Res() res: Response): void {
    let request;
    try {
      request = readAuthnRequest(String(samlRequest ?? ''));
    } catch (error) {
      res
        .status(400)
        .type('html')
        .send(html(res, 'Demo IdP', `<p>${escapeHtml(error instanceof Error ? error.message : 'Not a SAML request.')}</p>`));
      return;
    }
    const slug = organisationOfIssuer(this.config.publicUrl, request.issuer);
    const organisation = DEMO_ORGANISATIONS.find((o) => o.slug === slug);
    const acsUrl = `${this.config.publicUrl}/auth/saml/${slug}/acs`;
    const members = DEMO_MEMBERS.filter((m) => m.organisationSlug === slug);
    const forms = members
      .map(
        (m) => `<form method="post" action="/demo-idp/respond">
<input type="hidden" name="requestId" value="${escapeHtml(request.id)}"><input type="hidden" name="audience" value="${escapeHtml(request.issuer)}">
<input type="hidden" name="acsUrl" value="${escapeHtml(acsUrl)}"><input type="hidden" name="email" value="${escapeHtml(m.email)}">
<input type="hidden" name="relayState" value="${escapeHtml(relayState ?? '')}">
<button type="submit">Sign in as ${escapeHtml(m.name)}</button> <small>${escapeHtml(m.email)} — ${escapeHtml(m.roles.join(', ') || 'member')}</small></form>`,
      )
      .join('');
    res
      .type('html')
      .send(
        html(
          res,
          'Demo IdP',
          `<h1>${escapeHtml(organisation?.name ?? 'Unknown organisation')}</h1><p>Demo identity provider: choose who you are. A real organisation signs you in with its own IdP.</p>${forms || '<p>No demo users here.</p>'}`,
        ),
      );
  }

  /** Posts a signed response for the chosen user to the service's ACS, as the HTTP-POST binding does. */
  @Public()
  @Post('respond')
  respond(@Body() body: Record<string, string>, @Res() res: Response): void {
    const member = DEMO_MEMBERS.find((m) => m.email === body.email);
    const acsUrl = String(body.acsUrl ?? '');
    if (!member || !acsUrl.startsWith(`${this.config.publicUrl}/auth/saml/`)) {
      res
        .status(400)
        .type('html')
        .send(html(res, 'Demo IdP', '<p>Unknown demo user or service.</p>'));
      return;
    }
    const samlResponse = demoLoginResponse({
      issuer: DEMO_IDP_ENTITY_ID,
      audience: String(body.audience),
      acsUrl,
      inResponseTo: String(body.requestId),
      email: member.email,
      name: member.name,
      keys: this.keys,
    });
    res
      .type('html')
      .send(
        html(
          res,
          'Signing in…',
          `<form id="f" method="post" action="${escapeHtml(acsUrl)}"><input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}"><input type="hidden" name="RelayState" value="${escapeHtml(body.relayState ?? '')}"><noscript><button type="submit">Continue</button></noscript></form>`,
          "document.getElementById('f').submit()",
        ),
      );
  }
}
