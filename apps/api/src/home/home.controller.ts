import { Controller, Get, Res } from '@nestjs/common';
import { cspNonce } from '#config';
import { Actor, CurrentActor, IdentityProviderRepository, MemberRepository, Public } from '#identity';
import type { Response } from 'express';

const escape = (value: string): string => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A plain start page: who you are signed in as, or where to sign in; the product is the GraphQL API. */
@Controller()
export class HomeController {
  constructor(
    private readonly idps: IdentityProviderRepository,
    private readonly members: MemberRepository,
  ) {}

  @Public()
  @Get()
  async home(@CurrentActor() actor: Actor, @Res() res: Response): Promise<void> {
    // The page's Content-Security-Policy admits only inline elements carrying this response's nonce.
    const nonce = cspNonce(res);
    let content: string;
    if (actor.memberId) {
      const member = await this.members.findForSignIn(actor.memberId);
      content = `<p>Signed in as <strong>${escape(member?.name ?? '')}</strong> (${escape(member?.email ?? '')}).</p>
<p>Query the API at <a href="/graphql">/graphql</a>: your session cookie signs your requests.</p>
<button id="sign-out" type="button">Sign out</button>
<script nonce="${nonce}">document.getElementById('sign-out').addEventListener('click',()=>fetch('/auth/logout',{method:'POST'}).then(r=>r.json()).then(b=>{location.href=b.redirect||'/'}))</script>`;
    } else {
      const idps = await this.idps.listEnabledWithOrganisation();
      const links = idps
        .map((idp) => `<li><a href="/auth/saml/${encodeURIComponent(idp.organisation!.slug)}/login?idp=${encodeURIComponent(idp.key)}&amp;returnTo=/">${escape(idp.organisation!.name)}</a> <small>${escape(idp.name)}</small></li>`)
        .join('');
      content = `<p>Sign in through your organisation's identity provider:</p><ul>${links || '<li>No organisation has an identity provider yet.</li>'}</ul>
<p>Anyone may read public (TLP:CLEAR) practices at <a href="/graphql">/graphql</a>.</p>`;
    }
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Practice Exchange</title><meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${nonce}">body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;line-height:1.5}</style></head><body><h1>Practice Exchange</h1>${content}</body></html>`);
  }
}
