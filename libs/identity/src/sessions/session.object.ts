import { Field, ID, ObjectType } from '@nestjs/graphql';
import { toGlobalId } from '../graphql/global-id.js';
import { Node } from '../graphql/node.interface.js';
import type { SessionEntity } from './session.entity.js';

@ObjectType({ implements: () => [Node], description: 'A signed-in browser of yours.' })
export class Session implements Node {
  @Field(() => ID)
  id!: string;

  @Field()
  createdAt!: Date;

  @Field()
  lastSeenAt!: Date;

  @Field({ description: 'The latest it can last; inactivity ends it sooner.' })
  expiresAt!: Date;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;

  @Field({ description: 'The session this request came with.' })
  current!: boolean;
}

export function toSession(entity: SessionEntity, currentId?: string): Session {
  return Object.assign(new Session(), {
    id: toGlobalId('Session', entity.id),
    createdAt: entity.createdAt,
    lastSeenAt: entity.lastSeenAt,
    expiresAt: entity.expiresAt,
    userAgent: entity.userAgent,
    current: entity.id === currentId,
  });
}
