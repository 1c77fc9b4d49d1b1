import { Args, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../auth/actor.js';
import { CurrentActor, Public, RequirePermission } from '../auth/auth.decorators.js';
import { Permission } from '../auth/permissions.js';
import { decodeCursor, toPage } from '../graphql/connection.js';
import { IdentityLoaders } from '../graphql/identity.loaders.js';
import type { RequestContext } from '../graphql/request-context.js';
import { OrganisationsArgs } from './dto/organisations.args.js';
import { UpsertOrganisationInput } from './dto/upsert-organisation.input.js';
import { Organisation, OrganisationConnection, toOrganisation } from './organisation.object.js';
import { OrganisationRepository } from './organisation.repository.js';
import { OrganisationService } from './organisation.service.js';

@Resolver(() => Organisation)
export class OrganisationResolver {
  constructor(
    private readonly service: OrganisationService,
    private readonly organisationRepo: OrganisationRepository,
    private readonly loaders: IdentityLoaders,
  ) {}

  @Public()
  @Query(() => Organisation, { nullable: true })
  async organisation(@Args('slug') slug: string): Promise<Organisation | null> {
    const entity = await this.organisationRepo.findBySlug(slug);
    return entity ? toOrganisation(entity) : null;
  }

  @Public()
  @Query(() => OrganisationConnection)
  async organisations(@Args() args: OrganisationsArgs): Promise<OrganisationConnection> {
    const after = args.after ? (decodeCursor(args.after, ['text'])[0] as string) : undefined;
    const rows = await this.organisationRepo.list({ kinds: args.kinds, countries: args.countries?.map((c) => c.toUpperCase()) }, args.first, after);
    return toPage(rows, args.first, (o) => [o.slug], toOrganisation, after !== undefined);
  }

  @RequirePermission(Permission.ORGANISATION_MANAGE)
  @Mutation(() => Organisation)
  async upsertOrganisation(@CurrentActor() actor: Actor, @Args('input') input: UpsertOrganisationInput): Promise<Organisation> {
    return toOrganisation(await this.service.upsert(actor, input));
  }

  @ResolveField(() => [String], { description: "E-mail domains whose addresses this organisation's IdPs may sign in." })
  emailDomains(organisation: Organisation, _args: unknown, context: RequestContext): Promise<string[]> {
    return this.loaders.for(context).domains.load(organisation.rowId);
  }
}
