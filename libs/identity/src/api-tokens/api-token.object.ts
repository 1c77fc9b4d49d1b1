import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { TokenScope } from '../auth/permissions.js';
import { toGlobalId } from '../graphql/global-id.js';
import { Node } from '../graphql/node.interface.js';
import type { ApiTokenEntity } from './api-token.entity.js';

registerEnumType(TokenScope, { name: 'TokenScope' });

@ObjectType({ implements: () => [Node], description: 'An API token of the signed-in member; the secret is never shown again.' })
export class ApiToken implements Node {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => [TokenScope])
  scopes!: TokenScope[];

  @Field()
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class CreateApiTokenPayload {
  @Field(() => ApiToken)
  apiToken!: ApiToken;

  @Field({ description: 'The token, shown this once: pe_<id>_<secret>.' })
  token!: string;
}

export function toApiToken(entity: ApiTokenEntity): ApiToken {
  return Object.assign(new ApiToken(), {
    id: toGlobalId('ApiToken', entity.id),
    name: entity.name,
    scopes: entity.scopes,
    expiresAt: entity.expiresAt,
    revokedAt: entity.revokedAt,
    lastUsedAt: entity.lastUsedAt,
    createdAt: entity.createdAt,
  });
}
