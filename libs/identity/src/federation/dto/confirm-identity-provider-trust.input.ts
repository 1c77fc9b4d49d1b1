import { Field, ID, InputType } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';

@InputType()
export class ConfirmIdentityProviderTrustInput {
  @Field(() => ID, { description: 'The IdentityProvider whose changed trust a platform admin confirms.' })
  @IsString()
  @MaxLength(200)
  id!: string;
}
