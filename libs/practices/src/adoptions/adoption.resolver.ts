import { Args, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import {
  Actor,
  CurrentActor,
  IdentityLoaders,
  Member,
  Organisation,
  Permission,
  RequirePermission,
  requireGlobalId,
  toMember,
  toOrganisation,
  type RequestContext,
} from '#identity';
import { PracticeLoaders } from '../graphql/practice.loaders.js';
import { Practice, toPractice } from '../practices/practice.object.js';
import { Adoption, toAdoption } from './adoption.object.js';
import { AdoptionService } from './adoption.service.js';
import { RecordAdoptionInput } from './dto/record-adoption.input.js';

@Resolver(() => Adoption)
export class AdoptionResolver {
  constructor(
    private readonly service: AdoptionService,
    private readonly loaders: PracticeLoaders,
    private readonly identity: IdentityLoaders,
  ) {}

  @RequirePermission(Permission.ADOPTION_WRITE)
  @Mutation(() => Adoption, { description: 'Records that your organisation adopted a practice; recording again updates it.' })
  async recordAdoption(@CurrentActor() actor: Actor, @Args('input') input: RecordAdoptionInput): Promise<Adoption> {
    return toAdoption(await this.service.record(actor, requireGlobalId(input.practiceId, 'Practice', 'practiceId'), input.note, input.outcome));
  }

  @ResolveField(() => Organisation)
  async organisation(adoption: Adoption, _args: unknown, context: RequestContext): Promise<Organisation> {
    return toOrganisation((await this.identity.for(context).organisation.load(adoption.organisationRowId))!);
  }

  @ResolveField(() => Member, { nullable: true, description: 'Who recorded it; null for anonymous callers.' })
  async recordedBy(adoption: Adoption, _args: unknown, context: RequestContext): Promise<Member | null> {
    const member = await this.identity.for(context).member.load(adoption.memberRowId);
    return member ? toMember(member, context.actor) : null;
  }

  @ResolveField(() => Practice)
  async practice(adoption: Adoption, _args: unknown, context: RequestContext): Promise<Practice> {
    return toPractice((await this.loaders.for(context).practice.load(adoption.practiceRowId))!);
  }
}
