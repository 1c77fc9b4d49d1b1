import { ArgsType, Args, Field, Query, Resolver } from '@nestjs/graphql';
import { Actor, ConnectionArgs, CurrentActor, Public, decodeCursor, toPage } from '#identity';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Tag, TagConnection, toTag } from './tag.object.js';
import { TagRepository } from './tag.repository.js';

@ArgsType()
export class TagsArgs extends ConnectionArgs {
  @Field({ nullable: true, description: 'Tags whose slug contains this text.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  search?: string;
}

@Resolver(() => Tag)
export class TagResolver {
  constructor(private readonly tagRepo: TagRepository) {}

  @Public()
  @Query(() => TagConnection, { description: 'The curated vocabulary and free tags in use, by slug, with counts of practices you may read.' })
  async tags(@CurrentActor() actor: Actor, @Args() args: TagsArgs): Promise<TagConnection> {
    const after = args.after ? String(decodeCursor(args.after, ['text'])[0]) : undefined;
    const rows = await this.tagRepo.listVisible(actor.viewer, args.first, after, args.search);
    return toPage(rows, args.first, (t) => [t.slug], toTag, after !== undefined);
  }
}
