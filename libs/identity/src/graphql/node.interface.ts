import { Field, ID, InterfaceType } from '@nestjs/graphql';

/** Relay's Node: every object with a global ID; `node(id:)` returns any of them the caller may see. */
@InterfaceType('Node', {
  resolveType: (value: object) => value.constructor.name,
})
export abstract class Node {
  @Field(() => ID)
  id!: string;
}
