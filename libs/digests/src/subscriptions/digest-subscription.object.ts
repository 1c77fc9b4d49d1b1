import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Node, OrganisationKind, toGlobalId } from '#identity';
import { DigestChannel, DigestFrequency, Weekday, type DigestSubscriptionEntity } from './digest-subscription.entity.js';
import { composesAsPublic } from './subscriber-viewer.js';

@ObjectType()
export class DigestFilter {
  @Field(() => String, { nullable: true })
  query!: string | null;

  @Field(() => [String])
  tags!: string[];

  @Field(() => [String])
  organisationSlugs!: string[];

  @Field(() => [OrganisationKind])
  organisationKinds!: OrganisationKind[];

  @Field(() => [String])
  countries!: string[];
}

@ObjectType({ implements: () => [Node], description: 'One of your digests; only you see it.' })
export class DigestSubscription implements Node {
  @Field(() => ID)
  id!: string;

  rowId!: string;

  @Field()
  name!: string;

  @Field(() => DigestFilter)
  filter!: DigestFilter;

  @Field(() => DigestFrequency)
  frequency!: DigestFrequency;

  @Field(() => Int)
  hour!: number;

  @Field(() => Weekday, { nullable: true })
  weekday!: Weekday | null;

  @Field()
  timeZone!: string;

  @Field(() => DigestChannel)
  channel!: DigestChannel;

  @Field(() => String, { nullable: true })
  webhookUrl!: string | null;

  @Field({
    description:
      'True when it was last saved through an API token without the read scope: it then carries only TLP_CLEAR practices, as the public reads them. Saving it again from a session or a token with read lets it carry what you may read.',
  })
  publicOnly!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'For WEBHOOK: the whsec_ secret to verify signatures with; null when you call through a token that may not read what the subscription carries.',
  })
  webhookSecret!: string | null;

  @Field(() => String, { nullable: true, description: 'For ATOM: your secret feed address; rotate it if it leaks. Null like webhookSecret.' })
  feedUrl!: string | null;

  @Field(() => Date, { nullable: true, description: 'Set when delivery stopped; pauseReason says why.' })
  pausedAt!: Date | null;

  @Field(() => String, { nullable: true })
  pauseReason!: string | null;

  @Field()
  createdAt!: Date;
}

/** Maps a subscription for its owner; the secrets are passed in because only the service may open them. */
export function toDigestSubscription(entity: DigestSubscriptionEntity, secrets: { webhookSecret: string | null; feedUrl: string | null }): DigestSubscription {
  return Object.assign(new DigestSubscription(), {
    id: toGlobalId('DigestSubscription', entity.id),
    rowId: entity.id,
    name: entity.name,
    filter: {
      query: entity.filter.query ?? null,
      tags: entity.filter.tags ?? [],
      organisationSlugs: entity.filter.organisationSlugs ?? [],
      organisationKinds: entity.filter.organisationKinds ?? [],
      countries: entity.filter.countries ?? [],
    },
    frequency: entity.frequency,
    hour: entity.hour,
    weekday: entity.weekday,
    timeZone: entity.timeZone,
    channel: entity.channel,
    webhookUrl: entity.webhookUrl,
    publicOnly: composesAsPublic(entity),
    webhookSecret: secrets.webhookSecret,
    feedUrl: secrets.feedUrl,
    pausedAt: entity.pausedAt,
    pauseReason: entity.pauseReason,
    createdAt: entity.createdAt,
  });
}
