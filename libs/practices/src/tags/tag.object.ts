import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '#identity';
import type { TagEntity } from './tag.entity.js';

@ObjectType({ description: 'A topic; `slug` is the normalised form used in filters.' })
export class Tag {
  @Field()
  slug!: string;

  @Field()
  label!: string;

  @Field({ description: 'Part of the curated topic vocabulary.' })
  curated!: boolean;

  @Field(() => Int, { nullable: true, description: 'Practices with this tag that you may read (in tag lists).' })
  practiceCount?: number | null;
}

@ObjectType()
export class TagConnection extends Connection(Tag) {}

export function toTag(entity: TagEntity & { practiceCount?: number }): Tag {
  return Object.assign(new Tag(), { slug: entity.slug, label: entity.label, curated: entity.curated, practiceCount: entity.practiceCount ?? null });
}
