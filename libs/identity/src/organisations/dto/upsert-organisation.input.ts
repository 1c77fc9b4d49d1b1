import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { OrganisationKind } from '../organisation.entity.js';
import { SLUG_PATTERN } from '../slug.js';

@InputType()
export class UpsertOrganisationInput {
  @Field({ description: 'Lower-case letters, digits and hyphens; creates the organisation when new.' })
  @Matches(SLUG_PATTERN, { message: 'slug must be lower-case letters, digits and single hyphens, such as "kent"' })
  @Length(2, 64)
  slug!: string;

  @Field()
  @IsString()
  @Length(2, 200)
  name!: string;

  @Field(() => OrganisationKind)
  @IsEnum(OrganisationKind)
  kind!: OrganisationKind;

  @Field({ description: 'ISO 3166-1 alpha-2, such as GB.' })
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be a two-letter ISO 3166 code such as GB' })
  country!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  region?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the e-mail domains; a domain belongs to one organisation.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(253, { each: true })
  emailDomains?: string[];
}
