import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, IsString, Length } from 'class-validator';

export const COMMENT_LIMIT = 5_000;

@InputType()
export class AddCommentInput {
  @Field(() => ID)
  @IsString()
  practiceId!: string;

  @Field({ description: 'Markdown, stored as given.' })
  @IsString()
  @Length(1, COMMENT_LIMIT)
  body!: string;

  @Field(() => ID, { nullable: true, description: 'A top-level comment of the same practice, to reply to it.' })
  @IsOptional()
  @IsString()
  parentId?: string | null;
}

@InputType()
export class EditCommentInput {
  @Field(() => ID)
  @IsString()
  id!: string;

  @Field()
  @IsString()
  @Length(1, COMMENT_LIMIT)
  body!: string;
}

@InputType()
export class DeleteCommentInput {
  @Field(() => ID)
  @IsString()
  id!: string;
}
