import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Node, PageInfo, toGlobalId } from '#identity';
import { PracticeStatus, Visibility } from '../visibility/visibility.enum.js';
import type { PracticeEntity } from './practice.entity.js';

registerEnumType(Visibility, {
  name: 'Visibility',
  description: 'Traffic Light Protocol level: who may read a practice.',
  valuesMap: {
    TLP_CLEAR: { description: 'Anyone, even without signing in.' },
    TLP_GREEN: { description: 'Every member of every organisation on the platform.' },
    TLP_AMBER: { description: "The author's organisation plus the audience organisations it names." },
    TLP_AMBER_STRICT: { description: "The author's organisation only." },
  },
});
registerEnumType(PracticeStatus, { name: 'PracticeStatus' });

@ObjectType()
export class Resource {
  @Field()
  title!: string;

  @Field({ description: 'Always http or https.' })
  url!: string;
}

/** The content a practice and each of its revisions carry. */
@ObjectType({ isAbstract: true })
export abstract class PracticeContentObject {
  @Field()
  title!: string;

  @Field()
  summary!: string;

  @Field()
  problem!: string;

  @Field()
  approach!: string;

  @Field()
  outcomes!: string;

  @Field(() => [Resource])
  resources!: Resource[];

  @Field()
  language!: string;

  @Field(() => Visibility)
  visibility!: Visibility;
}

@ObjectType({ implements: () => [Node], description: 'A practice against interference in elections. Text fields are markdown as written, never HTML.' })
export class Practice extends PracticeContentObject implements Node {
  @Field(() => ID)
  id!: string;

  rowId!: string;
  organisationRowId!: string;
  authorRowId!: string;

  @Field(() => PracticeStatus)
  status!: PracticeStatus;

  @Field(() => Int, { description: 'Pass it as expectedRevision when editing.' })
  revision!: number;

  @Field(() => Date, { nullable: true })
  publishedAt!: Date | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType()
export class PracticeEdge {
  @Field()
  cursor!: string;

  @Field(() => Practice)
  node!: Practice;

  @Field(() => String, {
    nullable: true,
    description: 'With a search query: an extract of the text, HTML-escaped, with matched words inside <mark></mark>.',
  })
  snippet!: string | null;
}

@ObjectType()
export class PracticeConnection {
  @Field(() => [PracticeEdge])
  edges!: PracticeEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

export function toPractice(entity: PracticeEntity): Practice {
  return Object.assign(new Practice(), {
    id: toGlobalId('Practice', entity.id),
    rowId: entity.id,
    organisationRowId: entity.organisationId,
    authorRowId: entity.authorId,
    title: entity.title,
    summary: entity.summary,
    problem: entity.problem,
    approach: entity.approach,
    outcomes: entity.outcomes,
    resources: entity.resources.map((r) => ({ title: r.title, url: r.url })),
    language: entity.language,
    status: entity.status,
    visibility: entity.visibility,
    revision: entity.revision,
    publishedAt: entity.publishedAt,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  });
}
