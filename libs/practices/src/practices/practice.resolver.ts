import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Actor, CurrentActor, Permission, Public, RequirePermission, requireGlobalId, type RequestContext } from '#identity';
import { PracticeLoaders } from '../graphql/practice.loaders.js';
import { ArchivePracticeInput, CreatePracticeInput, PublishPracticeInput, UpdatePracticeInput } from './dto/practice-mutations.input.js';
import { PracticesArgs } from './dto/practices.args.js';
import { PracticeQueryService } from './practice-query.service.js';
import { Practice, PracticeConnection, toPractice } from './practice.object.js';
import { PracticeService } from './practice.service.js';

@Resolver(() => Practice)
export class PracticeResolver {
  constructor(
    private readonly service: PracticeService,
    private readonly query: PracticeQueryService,
    private readonly loaders: PracticeLoaders,
  ) {}

  @Public()
  @Query(() => Practice, { nullable: true, description: 'A practice you may read; null otherwise.' })
  async practice(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext): Promise<Practice | null> {
    const row = await this.loaders.for(context).practice.load(requireGlobalId(id, 'Practice'));
    return row ? toPractice(row) : null;
  }

  @Public()
  @Query(() => PracticeConnection, { description: 'Practices you may read, filtered and searched.' })
  practices(@Args() args: PracticesArgs, @CurrentActor() actor: Actor): Promise<PracticeConnection> {
    return this.query.list(actor.viewer, args.filter, args.orderBy, args.first, args.after);
  }

  @RequirePermission(Permission.PRACTICE_WRITE)
  @Mutation(() => Practice, { description: 'Creates a DRAFT of your organisation.' })
  async createPractice(@CurrentActor() actor: Actor, @Args('input') input: CreatePracticeInput): Promise<Practice> {
    return toPractice(await this.service.create(actor, input));
  }

  @RequirePermission(Permission.PRACTICE_WRITE)
  @Mutation(() => Practice, { description: 'Edits a practice of your organisation; a stale expectedRevision is a CONFLICT.' })
  async updatePractice(@CurrentActor() actor: Actor, @Args('input') input: UpdatePracticeInput): Promise<Practice> {
    return toPractice(await this.service.update(actor, requireGlobalId(input.id, 'Practice'), input));
  }

  @RequirePermission(Permission.PRACTICE_WRITE)
  @Mutation(() => Practice)
  async publishPractice(@CurrentActor() actor: Actor, @Args('input') input: PublishPracticeInput): Promise<Practice> {
    return toPractice(await this.service.publish(actor, requireGlobalId(input.id, 'Practice')));
  }

  @RequirePermission(Permission.PRACTICE_WRITE)
  @Mutation(() => Practice)
  async archivePractice(@CurrentActor() actor: Actor, @Args('input') input: ArchivePracticeInput): Promise<Practice> {
    return toPractice(await this.service.archive(actor, requireGlobalId(input.id, 'Practice')));
  }
}
