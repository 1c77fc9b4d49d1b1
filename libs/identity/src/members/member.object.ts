import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { mayReadEmail } from '../access/identity-access.js';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/permissions.js';
import { toGlobalId } from '../graphql/global-id.js';
import { Node } from '../graphql/node.interface.js';
import type { MemberEntity } from './member.entity.js';

registerEnumType(Role, { name: 'Role' });

@ObjectType({ implements: () => [Node], description: 'A person on the platform; visible to signed-in members only.' })
export class Member implements Node {
  @Field(() => ID)
  id!: string;

  rowId!: string;
  organisationRowId!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: "Shown to the member, their organisation's admins and platform admins; null to others." })
  email!: string | null;

  @Field(() => [Role])
  roles!: Role[];

  @Field()
  active!: boolean;
}

export function toMember(entity: MemberEntity, viewer: Actor): Member {
  return Object.assign(new Member(), {
    id: toGlobalId('Member', entity.id),
    rowId: entity.id,
    organisationRowId: entity.organisationId,
    name: entity.name,
    email: mayReadEmail(viewer, entity) ? entity.email : null,
    roles: entity.roles,
    active: entity.deactivatedAt === null,
  });
}
