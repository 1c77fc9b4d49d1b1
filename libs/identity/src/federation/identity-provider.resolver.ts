import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '../auth/actor.js';
import { CurrentActor, Public, RequirePermission } from '../auth/auth.decorators.js';
import { Permission } from '../auth/permissions.js';
import { toOrganisation } from '../organisations/organisation.object.js';
import { requireGlobalId } from '../graphql/global-id.js';
import { ConfigureIdentityProviderInput } from './dto/configure-identity-provider.input.js';
import { ConfirmIdentityProviderTrustInput } from './dto/confirm-identity-provider-trust.input.js';
import { IdentityProvider, SignInChoice, toIdentityProvider } from './identity-provider.object.js';
import { IdentityProviderService } from './identity-provider.service.js';

@Resolver(() => IdentityProvider)
export class IdentityProviderResolver {
  constructor(private readonly service: IdentityProviderService) {}

  @Public()
  @Query(() => [SignInChoice], { description: 'Which organisation and identity provider to sign in with for an e-mail domain (or address).' })
  async identityProviders(@Args('emailDomain') emailDomain: string): Promise<SignInChoice[]> {
    const found = await this.service.discover(emailDomain.includes('@') ? emailDomain.split('@').pop()! : emailDomain);
    if (!found) return [];
    return found.idps.map((idp) => ({ organisation: toOrganisation(found.organisation), key: idp.key, name: idp.name, loginUrl: found.loginUrl(idp) }));
  }

  @RequirePermission(Permission.IDP_MANAGE)
  @Mutation(() => IdentityProvider, { description: "Adds or updates one of an organisation's IdPs from metadata XML or a metadata URL." })
  async configureIdentityProvider(@CurrentActor() actor: Actor, @Args('input') input: ConfigureIdentityProviderInput): Promise<IdentityProvider> {
    const { attributeMapping, ...rest } = input;
    const mapping = attributeMapping && {
      ...attributeMapping,
      roleValues: attributeMapping.roleValues ? Object.fromEntries(attributeMapping.roleValues.map((r) => [r.value, r.role])) : undefined,
    };
    return toIdentityProvider(await this.service.configure(actor, { ...rest, attributeMapping: mapping }));
  }

  @RequirePermission(Permission.IDP_MANAGE)
  @Mutation(() => IdentityProvider, {
    description:
      "A platform admin confirms a change of an IdP's trust (entity ID, signing certificates or metadata source) made by someone else, so members holding PLATFORM_ADMIN sign in through it again.",
  })
  async confirmIdentityProviderTrust(@CurrentActor() actor: Actor, @Args('input') input: ConfirmIdentityProviderTrustInput): Promise<IdentityProvider> {
    return toIdentityProvider(await this.service.confirmTrust(actor, requireGlobalId(input.id, 'IdentityProvider')));
  }
}
