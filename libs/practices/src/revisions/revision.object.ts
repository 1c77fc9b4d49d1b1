import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection, Node, toGlobalId } from '#identity';
import { PracticeContentObject } from '../practices/practice.object.js';
import { PracticeStatus } from '../visibility/visibility.enum.js';
import type { PracticeRevisionEntity } from './practice-revision.entity.js';

@ObjectType({ implements: () => [Node], description: 'The content of a practice as of one revision.' })
export class Revision extends PracticeContentObject implements Node {
  @Field(() => ID)
  id!: string;

  editorRowId!: string;

  @Field(() => Int)
  revision!: number;

  @Field(() => [String])
  tagSlugs!: string[];

  @Field(() => PracticeStatus, { description: 'The status the practice had when this revision was written: DRAFT before its publication.' })
  status!: PracticeStatus;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class RevisionConnection extends Connection(Revision) {}

export function toRevision(entity: PracticeRevisionEntity): Revision {
  return Object.assign(new Revision(), {
    id: toGlobalId('Revision', entity.id),
    editorRowId: entity.editorId,
    revision: entity.revision,
    title: entity.title,
    summary: entity.summary,
    problem: entity.problem,
    approach: entity.approach,
    outcomes: entity.outcomes,
    resources: entity.resources,
    tagSlugs: entity.tagSlugs,
    language: entity.language,
    visibility: entity.visibility,
    status: entity.status,
    createdAt: entity.createdAt,
  });
}
