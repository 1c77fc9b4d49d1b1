import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsIn, IsOptional, IsString, IsUrl, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IDP_ASSIGNABLE_ROLES, Role } from '../../auth/permissions.js';
import { SLUG_PATTERN } from '../../organisations/slug.js';

@InputType()
export class RoleValueInput {
  @Field({ description: 'A value of the roles attribute, such as a group name.' })
  @IsString()
  @Length(1, 256)
  value!: string;

  @Field(() => Role, { description: 'CONTRIBUTOR or ORG_ADMIN; an IdP never grants MODERATOR or PLATFORM_ADMIN, which platform admins grant.' })
  @IsIn(IDP_ASSIGNABLE_ROLES, { message: 'role must be CONTRIBUTOR or ORG_ADMIN (MODERATOR and PLATFORM_ADMIN are granted by platform admins only)' })
  role!: Role;
}

@InputType({ description: 'Attribute names to read; unset ones fall back to the Entra ID/ADFS, urn:oid and friendly defaults.' })
export class AttributeMappingInput {
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(256, { each: true })
  email?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(256, { each: true })
  displayName?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(256, { each: true })
  givenName?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(256, { each: true })
  surname?: string[];

  @Field(() => String, { nullable: true, description: 'The attribute whose values grant roles; then the IdP decides roles up to ORG_ADMIN.' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  roles?: string;

  @Field(() => [RoleValueInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RoleValueInput)
  roleValues?: RoleValueInput[];
}

@InputType()
export class ConfigureIdentityProviderInput {
  @Field()
  @IsString()
  @Length(1, 64)
  organisationSlug!: string;

  @Field({ nullable: true, defaultValue: 'main', description: "Names this IdP among the organisation's; configuring the same key again updates it." })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'key must be lower-case letters, digits and hyphens' })
  @Length(1, 64)
  key?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field({ nullable: true, description: "The IdP's SAML metadata (an EntityDescriptor); give this or metadataUrl." })
  @IsOptional()
  @IsString()
  @MaxLength(5_000_000)
  metadataXml?: string;

  @Field({ nullable: true, description: 'Fetched now and refreshed on a schedule; https only.' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'metadataUrl must be an https:// address' })
  @MaxLength(2048)
  metadataUrl?: string;

  @Field({ nullable: true, description: 'Default true: refuse responses whose outer Response is unsigned.' })
  @IsOptional()
  @IsBoolean()
  wantAuthnResponseSigned?: boolean;

  @Field({ nullable: true, description: 'Default true: refuse unsigned assertions.' })
  @IsOptional()
  @IsBoolean()
  wantAssertionsSigned?: boolean;

  @Field(() => AttributeMappingInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AttributeMappingInput)
  attributeMapping?: AttributeMappingInput;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @Field({
    nullable: true,
    description:
      "When the metadata is a federation's signed aggregate: the federation's signing certificate (PEM). Its signature is checked before any entity is trusted.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  federationCertificate?: string;

  @Field({ nullable: true, description: "With federationCertificate: the entity ID of this organisation's IdP in the aggregate." })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  entityId?: string;
}
