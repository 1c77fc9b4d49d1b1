import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection, Node, toGlobalId } from '#identity';
import type { AdoptionEntity } from './adoption.entity.js';

@ObjectType({ implements: () => [Node], description: 'An organisation adopted a practice.' })
export class Adoption implements Node {
  @Field(() => ID)
  id!: string;

  practiceRowId!: string;
  organisationRowId!: string;
  memberRowId!: string;

  @Field()
  note!: string;

  @Field()
  outcome!: string;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType()
export class AdoptionConnection extends Connection(Adoption) {}

export function toAdoption(entity: AdoptionEntity): Adoption {
  return Object.assign(new Adoption(), {
    id: toGlobalId('Adoption', entity.id),
    practiceRowId: entity.practiceId,
    organisationRowId: entity.organisationId,
    memberRowId: entity.memberId,
    note: entity.note,
    outcome: entity.outcome,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  });
}
