import { Field, ID, InputType, Int, PartialType } from '@nestjs/graphql';
import { IsInt, IsString, Min } from 'class-validator';
import { PracticeTextFields } from './practice-content.input.js';

@InputType({ description: 'Creates a DRAFT of your organisation.' })
export class CreatePracticeInput extends PracticeTextFields {}

@InputType()
export class UpdatePracticeInput extends PartialType(PracticeTextFields, InputType) {
  @Field(() => ID)
  @IsString()
  id!: string;

  @Field(() => Int, { description: 'The revision this edit is based on; a stale one is a CONFLICT.' })
  @IsInt()
  @Min(1)
  expectedRevision!: number;
}

@InputType()
export class PublishPracticeInput {
  @Field(() => ID)
  @IsString()
  id!: string;
}

@InputType()
export class ArchivePracticeInput {
  @Field(() => ID)
  @IsString()
  id!: string;
}
