import { Field, ID, InputType } from '@nestjs/graphql';
import { IsString } from 'class-validator';

@InputType()
export class RevokeSessionInput {
  @Field(() => ID)
  @IsString()
  id!: string;
}
