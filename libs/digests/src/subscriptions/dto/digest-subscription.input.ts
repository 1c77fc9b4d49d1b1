import { Field, ID, InputType, Int, PartialType, PickType, registerEnumType } from '@nestjs/graphql';
import { PracticeFilter } from '#practices';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, IsUrl, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DigestChannel, DigestFrequency, Weekday } from '../digest-subscription.entity.js';

registerEnumType(DigestFrequency, { name: 'DigestFrequency' });
registerEnumType(DigestChannel, { name: 'DigestChannel' });
registerEnumType(Weekday, { name: 'Weekday' });

/** The practices filter's own fields (and rules), so a subscription reads like the list it mirrors. */
@InputType({ description: "The practices filter's fields; tags match by normalised slug and need not exist yet." })
export class DigestFilterInput extends PickType(PracticeFilter, ['query', 'tags', 'organisationSlugs', 'organisationKinds', 'countries'] as const, InputType) {}

@InputType()
export class CreateDigestSubscriptionInput {
  @Field()
  @IsString()
  @Length(1, 100)
  name!: string;

  @Field(() => DigestFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => DigestFilterInput)
  filter?: DigestFilterInput;

  @Field(() => DigestFrequency)
  @IsEnum(DigestFrequency)
  frequency!: DigestFrequency;

  @Field(() => DigestChannel)
  @IsEnum(DigestChannel)
  channel!: DigestChannel;

  @Field(() => String, { nullable: true, description: 'For WEBHOOK: https (http only where private networks are allowed).' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'webhookUrl must be an http(s) address' })
  @MaxLength(2048)
  webhookUrl?: string | null;

  @Field(() => Int, { nullable: true, description: 'Local hour of DAILY and WEEKLY digests, 0–23; default 7.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(23)
  hour?: number | null;

  @Field(() => Weekday, { nullable: true, description: 'Day of WEEKLY digests; default MONDAY.' })
  @IsOptional()
  @IsEnum(Weekday)
  weekday?: Weekday | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone; default Europe/London.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string | null;
}

@InputType()
export class UpdateDigestSubscriptionInput extends PartialType(CreateDigestSubscriptionInput, InputType) {
  @Field(() => ID)
  @IsString()
  id!: string;
}

@InputType()
export class DeleteDigestSubscriptionInput {
  @Field(() => ID)
  @IsString()
  id!: string;
}

@InputType()
export class RotateDigestSubscriptionSecretInput {
  @Field(() => ID)
  @IsString()
  id!: string;
}
