import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { ConnectionArgs } from '#identity';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { FlagReason, FlagStatus } from '../flag.entity.js';
import { FlagAction } from '../flag.service.js';

@InputType()
export class FlagContentInput {
  @Field(() => ID, { description: 'A Practice or Comment ID.' })
  @IsString()
  subjectId!: string;

  @Field(() => FlagReason)
  @IsEnum(FlagReason)
  reason!: FlagReason;

  @Field({ nullable: true, defaultValue: '' })
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  note!: string;
}

@InputType()
export class ResolveFlagInput {
  @Field(() => ID)
  @IsString()
  id!: string;

  @Field(() => FlagAction)
  @IsEnum(FlagAction)
  action!: FlagAction;
}

@InputType()
export class UnhideContentInput {
  @Field(() => ID, { description: 'The hidden Practice or Comment.' })
  @IsString()
  @MaxLength(200)
  subjectId!: string;
}

@ArgsType()
export class FlagsArgs extends ConnectionArgs {
  @Field(() => FlagStatus, { nullable: true, defaultValue: FlagStatus.OPEN, description: 'Default OPEN; null for all.' })
  @IsOptional()
  @IsEnum(FlagStatus)
  status?: FlagStatus | null;
}
