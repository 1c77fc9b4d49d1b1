import { Field, ID, InputType } from '@nestjs/graphql';
import { IsString, Length } from 'class-validator';

@InputType()
export class RecordAdoptionInput {
  @Field(() => ID)
  @IsString()
  practiceId!: string;

  @Field({ description: 'How your organisation used it.' })
  @IsString()
  @Length(1, 2_000)
  note!: string;

  @Field({ description: 'What came of it, in a phrase.' })
  @IsString()
  @Length(1, 500)
  outcome!: string;
}
