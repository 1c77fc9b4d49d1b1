import { Field, ID, InputType, Int, PartialType, registerEnumType } from '@nestjs/graphql';
import { OrganisationKind } from '#identity';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsEnum, IsInt, IsOptional, IsString, IsUrl, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { DigestChannel, DigestFrequency, Weekday } from '../digest-subscription.entity.js';

registerEnumType(DigestFrequency, { name: 'DigestFrequency' });
registerEnumType(DigestChannel, { name: 'DigestChannel' });
registerEnumType(Weekday, { name: 'Weekday' });

@InputType({ description: 'The practices filter\'s fields; tags match by normalised slug and need not exist yet.' })
export class DigestFilterInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  query?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  organisationSlugs?: string[];

  @Field(() => [OrganisationKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(4)
  @IsEnum(OrganisationKind, { each: true })
  organisationKinds?: OrganisationKind[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z]{2}$/, { each: true, message: 'countries must be two-letter ISO 3166 codes such as GB' })
  countries?: string[];
}

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
