import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor, CurrentActor, Organisation } from '#identity';
import { PracticesArgs } from './dto/practices.args.js';
import { PracticeQueryService } from './practice-query.service.js';
import { PracticeConnection } from './practice.object.js';

@Resolver(() => Organisation)
export class OrganisationPracticesResolver {
  constructor(private readonly query: PracticeQueryService) {}

  @ResolveField(() => PracticeConnection, { description: "The organisation's practices that you may read." })
  practices(@Parent() organisation: Organisation, @Args() args: PracticesArgs, @CurrentActor() actor: Actor): Promise<PracticeConnection> {
    return this.query.list(actor.viewer, args.filter, args.orderBy, args.first, args.after, organisation.rowId);
  }
}
