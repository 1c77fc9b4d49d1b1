import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiTokenService, Permission, RequirePermission, TokenScope, requireGlobalId, toGlobalId, type ApiTokenEntity } from '#identity';
import type { Request, Response } from 'express';
import { WebError, WebErrorCode } from '../errors/web-errors.js';
import { WebExceptionFilter } from '../errors/web-exception.filter.js';
import { formErrors, single, type FieldError } from '../forms/form-errors.js';
import { formatDateTime } from '../i18n/date-time.js';
import type { Translate } from '../i18n/messages.js';
import { actorOf, pageContext } from '../page-context.js';
import { WebViews } from '../rendering/web-views.js';
import { EXPIRY_CHOICES, emptyTokenForm, expiryOf, readTokenForm, tokenInputOf, tokenServiceError, type TokenFormValues } from './token-form.js';

const SCOPE_LABELS: Record<TokenScope, string> = {
  [TokenScope.READ]: 'tokens.scopes.read',
  [TokenScope.WRITE]: 'tokens.scopes.write',
  [TokenScope.MODERATE]: 'tokens.scopes.moderate',
  [TokenScope.ADMIN]: 'tokens.scopes.admin',
};

/** The tokens minted from `id`, at any depth, among the member's tokens: what revoking it revokes too. */
function mintedFrom(id: string, tokens: ApiTokenEntity[]): ApiTokenEntity[] {
  const children = tokens.filter((token) => token.createdByTokenId === id);
  return children.flatMap((child) => [child, ...mintedFrom(child.id, tokens)]);
}

/**
 * The member's API tokens: list, create (the token shown once), revoke. The rules are ApiTokenService's, as for
 * createApiToken and revokeApiToken; another member's token is "not found".
 *
 * A new token is shown in the answer to the form's POST, not after a redirect: a redirect would have to carry the
 * token in its address (history, logs, Referer) or keep it somewhere for the next request, and the platform keeps
 * only a token's hash. The answer is `no-store`, so neither the browser's cache nor its back button shows it again;
 * resending the form (which the browser warns about) makes another token, listed with the others.
 */
@Controller('tokens')
@UseFilters(WebExceptionFilter)
export class TokensController {
  constructor(
    private readonly views: WebViews,
    private readonly tokens: ApiTokenService,
  ) {}

  @RequirePermission(Permission.TOKEN_MANAGE)
  @Get()
  async list(@Req() req: Request, @Res() res: Response, @Query('revoked') revoked: unknown): Promise<void> {
    const { t, lang, formats } = pageContext(res);
    const rows = await this.tokens.list(actorOf(req));
    const names = new Map(rows.map((row) => [row.id, row.name]));
    const now = new Date();
    const revokedId = single(revoked);
    const revokedRow = revokedId ? rows.find((row) => toGlobalId('ApiToken', row.id) === revokedId) : undefined;
    this.views.render(res, 'pages/tokens/list.njk', {
      tokens: rows.map((row) => ({
        id: toGlobalId('ApiToken', row.id),
        name: row.name,
        scopes: this.scopesText(row.scopes, t),
        created: formatDateTime(lang, row.createdAt),
        expires: formats.date(row.expiresAt),
        lastUsed: row.lastUsedAt ? formatDateTime(lang, row.lastUsedAt) : t('tokens.list.neverUsed'),
        status: row.revokedAt ? 'revoked' : row.expiresAt <= now ? 'expired' : 'active',
        revokedOn: formats.date(row.revokedAt),
        mintedBy: row.createdByTokenId ? (names.get(row.createdByTokenId) ?? null) : null,
      })),
      revokedName: revokedRow?.name ?? null,
    });
  }

  @RequirePermission(Permission.TOKEN_MANAGE)
  @Get('new')
  newForm(@Res() res: Response): void {
    this.renderForm(res, emptyTokenForm(), []);
  }

  @RequirePermission(Permission.TOKEN_MANAGE)
  @Post('new')
  async create(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const { t, formats } = pageContext(res);
    const values = readTokenForm(body);
    const now = new Date();
    const { input, errors } = await tokenInputOf(values, now, t);
    if (errors.length) return this.renderForm(res, values, errors);
    let created: Awaited<ReturnType<ApiTokenService['create']>>;
    try {
      created = await this.tokens.create(actorOf(req), input, now);
    } catch (error) {
      const fieldError = tokenServiceError(error, t);
      if (!fieldError) throw error;
      return this.renderForm(res, values, [fieldError]);
    }
    // The token's only showing: never cached, never in an address.
    res.setHeader('Cache-Control', 'no-store');
    this.views.render(
      res,
      'pages/tokens/created.njk',
      {
        token: created.token,
        name: created.apiToken.name,
        scopes: this.scopesText(created.apiToken.scopes, t),
        expires: formats.date(created.apiToken.expiresAt),
      },
      201,
    );
  }

  @RequirePermission(Permission.TOKEN_MANAGE)
  @Get(':id/revoke')
  async confirmRevoke(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const rowId = requireGlobalId(id, 'ApiToken');
    const rows = await this.tokens.list(actorOf(req));
    const token = rows.find((row) => row.id === rowId);
    if (!token) throw new WebError(WebErrorCode.NOT_FOUND, 'You have no token with this ID');
    this.views.render(res, 'pages/tokens/revoke.njk', {
      token: { id, name: token.name, revoked: token.revokedAt !== null },
      minted: mintedFrom(token.id, rows)
        .filter((row) => !row.revokedAt)
        .map((row) => row.name),
    });
  }

  @RequirePermission(Permission.TOKEN_MANAGE)
  @Post(':id/revoke')
  async revoke(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.tokens.revoke(actorOf(req), requireGlobalId(id, 'ApiToken'));
    res.redirect(303, `/tokens?revoked=${encodeURIComponent(id)}`);
  }

  private scopesText(scopes: TokenScope[], t: Translate): string {
    return Object.values(TokenScope)
      .filter((scope) => scopes.includes(scope))
      .map((scope) => t(SCOPE_LABELS[scope]))
      .join(', ');
  }

  private renderForm(res: Response, values: TokenFormValues, errors: FieldError[]): void {
    const { formats } = pageContext(res);
    const now = new Date();
    this.views.render(
      res,
      'pages/tokens/new.njk',
      { values, errors: formErrors(errors), expiryChoices: EXPIRY_CHOICES.map((days) => ({ days, until: formats.date(expiryOf(days, now)) })) },
      errors.length ? 400 : 200,
    );
  }
}
