import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { toGlobalId } from '../graphql/global-id.js';
import { Node } from '../graphql/node.interface.js';
import { Organisation } from '../organisations/organisation.object.js';
import { trustChangeUnconfirmed, type IdentityProviderEntity } from './identity-provider.entity.js';

@ObjectType({ implements: () => [Node], description: "An organisation's SAML identity provider; seen by its admins and platform admins." })
export class IdentityProvider implements Node {
  @Field(() => ID)
  id!: string;

  organisationRowId!: string;

  @Field({ description: 'Chooses this IdP at /auth/saml/:org/login?idp=' })
  key!: string;

  @Field()
  name!: string;

  @Field()
  entityId!: string;

  @Field()
  ssoUrl!: string;

  @Field(() => String, { nullable: true })
  sloUrl!: string | null;

  @Field(() => Int, { description: 'Signing certificates accepted (more than one during a rollover).' })
  certificateCount!: number;

  @Field(() => String, { nullable: true })
  metadataUrl!: string | null;

  @Field(() => Date, { nullable: true })
  metadataRefreshedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last refresh failed; the previous metadata stays in force.' })
  metadataError!: string | null;

  @Field()
  wantAuthnResponseSigned!: boolean;

  @Field()
  wantAssertionsSigned!: boolean;

  @Field()
  signAuthnRequests!: boolean;

  @Field()
  enabled!: boolean;

  @Field({
    description:
      "False while a change of this IdP's trust (entity ID, signing certificates or metadata source) made by someone other than a platform admin awaits a platform admin's confirmation (confirmIdentityProviderTrust); until then members holding PLATFORM_ADMIN cannot sign in through it.",
  })
  trustConfirmed!: boolean;

  @Field(() => Date, { nullable: true, description: "When the IdP's trust last changed (null: not since it was first recorded)." })
  trustChangedAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When a platform admin (or the operator CLI) confirmed the current trust; null while a change awaits confirmation.',
  })
  trustConfirmedAt!: Date | null;
}

@ObjectType({ description: 'Where a person with an address of this domain signs in.' })
export class SignInChoice {
  @Field(() => Organisation)
  organisation!: Organisation;

  @Field()
  key!: string;

  @Field()
  name!: string;

  @Field({ description: 'Open this in the browser to sign in.' })
  loginUrl!: string;
}

export function toIdentityProvider(entity: IdentityProviderEntity): IdentityProvider {
  return Object.assign(new IdentityProvider(), {
    id: toGlobalId('IdentityProvider', entity.id),
    organisationRowId: entity.organisationId,
    key: entity.key,
    name: entity.name,
    entityId: entity.entityId,
    ssoUrl: entity.ssoUrl,
    sloUrl: entity.sloUrl,
    certificateCount: entity.certificates.length,
    metadataUrl: entity.metadataUrl,
    metadataRefreshedAt: entity.metadataRefreshedAt,
    metadataError: entity.metadataError,
    wantAuthnResponseSigned: entity.wantAuthnResponseSigned,
    wantAssertionsSigned: entity.wantAssertionsSigned,
    signAuthnRequests: entity.signAuthnRequests,
    enabled: entity.enabled,
    trustConfirmed: !trustChangeUnconfirmed(entity),
    trustChangedAt: entity.trustChangedAt,
    trustConfirmedAt: entity.trustConfirmedAt,
  });
}
