import { ArgsType, Field } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsOptional, Matches } from 'class-validator';
import { ConnectionArgs } from '../../graphql/connection.js';
import { OrganisationKind } from '../organisation.entity.js';

@ArgsType()
export class OrganisationsArgs extends ConnectionArgs {
  @Field(() => [OrganisationKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @IsEnum(OrganisationKind, { each: true })
  kinds?: OrganisationKind[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z]{2}$/, { each: true, message: 'countries must be two-letter ISO 3166 codes' })
  countries?: string[];
}
