import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsString } from 'class-validator';
import { Role } from '../../auth/permissions.js';

@InputType()
export class SetMemberRolesInput {
  @Field(() => ID)
  @IsString()
  id!: string;

  @Field(() => [Role], { description: 'Replaces the roles; empty leaves a plain member, who may still read, comment and adopt.' })
  @ArrayMaxSize(4)
  @IsEnum(Role, { each: true })
  roles!: Role[];
}

@InputType()
export class DeactivateMemberInput {
  @Field(() => ID)
  @IsString()
  id!: string;
}
