import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsDate, IsEnum, IsOptional, IsString, Length } from 'class-validator';
import { TokenScope } from '../../auth/permissions.js';

@InputType()
export class CreateApiTokenInput {
  @Field()
  @IsString()
  @Length(1, 100)
  name!: string;

  @Field(() => [TokenScope])
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsEnum(TokenScope, { each: true })
  scopes!: TokenScope[];

  @Field(() => Date, { nullable: true, description: 'Default: 90 days, and never later than the token used to create it.' })
  @IsOptional()
  @IsDate()
  expiresAt?: Date | null;
}

@InputType()
export class RevokeApiTokenInput {
  @Field(() => ID)
  @IsString()
  id!: string;
}
