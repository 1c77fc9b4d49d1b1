import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '../auth/actor.js';
import { CurrentActor, RequirePermission } from '../auth/auth.decorators.js';
import { Permission } from '../auth/permissions.js';
import { requireGlobalId } from '../graphql/global-id.js';
import { ApiToken, CreateApiTokenPayload, toApiToken } from './api-token.object.js';
import { ApiTokenService } from './api-token.service.js';
import { CreateApiTokenInput, RevokeApiTokenInput } from './dto/create-api-token.input.js';

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  constructor(private readonly tokens: ApiTokenService) {}

  // Token management is the admin scope's, so a narrower token neither lists nor mints nor revokes tokens.
  @RequirePermission(Permission.TOKEN_MANAGE)
  @Query(() => [ApiToken], { description: 'Your own tokens, newest first.' })
  async apiTokens(@CurrentActor() actor: Actor): Promise<ApiToken[]> {
    return (await this.tokens.list(actor)).map(toApiToken);
  }

  @RequirePermission(Permission.TOKEN_MANAGE)
  @Mutation(() => CreateApiTokenPayload, { description: 'The only time the token itself is shown.' })
  async createApiToken(@CurrentActor() actor: Actor, @Args('input') input: CreateApiTokenInput): Promise<CreateApiTokenPayload> {
    const { apiToken, token } = await this.tokens.create(actor, input);
    return { apiToken: toApiToken(apiToken), token };
  }

  @RequirePermission(Permission.TOKEN_MANAGE)
  @Mutation(() => ApiToken)
  async revokeApiToken(@CurrentActor() actor: Actor, @Args('input') input: RevokeApiTokenInput): Promise<ApiToken> {
    return toApiToken(await this.tokens.revoke(actor, requireGlobalId(input.id, 'ApiToken')));
  }
}
