import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsEnum, IsOptional, IsString, IsUrl, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Visibility } from '../../visibility/visibility.enum.js';

export const LIMITS = {
  title: 200,
  summary: 1_000,
  body: 20_000,
  resources: 20,
  resourceTitle: 200,
  url: 2_000,
  tags: 20,
  tag: 50,
  audience: 50,
} as const;

@InputType()
export class ResourceInput {
  @Field()
  @IsString()
  @Length(1, LIMITS.resourceTitle)
  title!: string;

  @Field({ description: 'An http or https address.' })
  @IsString()
  @MaxLength(LIMITS.url)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http:// or https:// address' })
  url!: string;
}

@InputType({ isAbstract: true })
export class PracticeTextFields {
  @Field()
  @IsString()
  @Length(1, LIMITS.title)
  title!: string;

  @Field()
  @IsString()
  @Length(1, LIMITS.summary)
  summary!: string;

  @Field({ description: 'Markdown, stored as given; never returned as HTML.' })
  @IsString()
  @Length(1, LIMITS.body)
  problem!: string;

  @Field({ description: 'Markdown, stored as given; never returned as HTML.' })
  @IsString()
  @Length(1, LIMITS.body)
  approach!: string;

  @Field({ description: 'Markdown, stored as given; never returned as HTML.' })
  @IsString()
  @Length(1, LIMITS.body)
  outcomes!: string;

  @Field(() => [ResourceInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(LIMITS.resources)
  @ValidateNested({ each: true })
  @Type(() => ResourceInput)
  resources?: ResourceInput[];

  @Field(() => [String], { description: 'Labels; "Cyber Security" and "cyber-security" are the same tag.' })
  @ArrayMaxSize(LIMITS.tags)
  @IsString({ each: true })
  @Length(1, LIMITS.tag, { each: true })
  tags!: string[];

  @Field(() => String, { nullable: true, description: 'BCP 47 language tag, such as en, cy or et; en when not given.' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'language must be a BCP 47 tag such as en, cy or pt-BR' })
  language?: string | null;

  @Field(() => Visibility)
  @IsEnum(Visibility)
  visibility!: Visibility;

  @Field(() => [String], { nullable: true, description: 'For TLP_AMBER: slugs of the other organisations that may read it.' })
  @IsOptional()
  @ArrayMaxSize(LIMITS.audience)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  audienceOrganisationSlugs?: string[];
}
