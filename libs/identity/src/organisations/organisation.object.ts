import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../graphql/connection.js';
import { toGlobalId } from '../graphql/global-id.js';
import { Node } from '../graphql/node.interface.js';
import { OrganisationKind, type OrganisationEntity } from './organisation.entity.js';

registerEnumType(OrganisationKind, { name: 'OrganisationKind' });

@ObjectType({ implements: () => [Node], description: 'A council, government body or partner authority. Public.' })
export class Organisation implements Node {
  @Field(() => ID)
  id!: string;

  /** Row id, for resolvers; not in the schema. */
  rowId!: string;

  @Field()
  slug!: string;

  @Field()
  name!: string;

  @Field(() => OrganisationKind)
  kind!: OrganisationKind;

  @Field({ description: 'ISO 3166-1 alpha-2 country code.' })
  country!: string;

  @Field(() => String, { nullable: true })
  region!: string | null;
}

@ObjectType()
export class OrganisationConnection extends Connection(Organisation) {}

export function toOrganisation(entity: OrganisationEntity): Organisation {
  return Object.assign(new Organisation(), {
    id: toGlobalId('Organisation', entity.id),
    rowId: entity.id,
    slug: entity.slug,
    name: entity.name,
    kind: entity.kind,
    country: entity.country,
    region: entity.region,
  });
}
