import { ArgsType, Field, InputType, registerEnumType } from '@nestjs/graphql';
import { ConnectionArgs, OrganisationKind } from '#identity';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDate, IsEnum, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PracticeStatus } from '../../visibility/visibility.enum.js';
import { PracticeOrder } from '../practice.repository.js';

registerEnumType(PracticeOrder, { name: 'PracticeOrder' });

@InputType()
export class PracticeFilter {
  @Field({ nullable: true, description: 'Full-text search (English stemming); results carry a snippet on their edge.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  query?: string;

  @Field(() => [String], { nullable: true, description: 'Practices with any of these tags (matched by normalised slug).' })
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

  @Field(() => [String], { nullable: true, description: 'ISO 3166-1 alpha-2 codes of the organisations.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z]{2}$/, { each: true, message: 'countries must be two-letter ISO 3166 codes such as GB' })
  countries?: string[];

  @Field(() => PracticeStatus, { nullable: true, description: 'Default PUBLISHED; drafts are listed for their own organisation only.' })
  @IsOptional()
  @IsEnum(PracticeStatus)
  status?: PracticeStatus;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  publishedAfter?: Date;
}

@ArgsType()
export class PracticesArgs extends ConnectionArgs {
  @Field(() => PracticeFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PracticeFilter)
  filter?: PracticeFilter;

  @Field(() => PracticeOrder, { nullable: true, description: 'Default RELEVANCE with a query, NEWEST without.' })
  @IsOptional()
  @IsEnum(PracticeOrder)
  orderBy?: PracticeOrder;
}
