import { Args, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../auth/actor.js';
import { CurrentActor, Public, RequirePermission } from '../auth/auth.decorators.js';
import { Permission } from '../auth/permissions.js';
import { requireGlobalId } from '../graphql/global-id.js';
import { IdentityLoaders } from '../graphql/identity.loaders.js';
import type { RequestContext } from '../graphql/request-context.js';
import { Organisation, toOrganisation } from '../organisations/organisation.object.js';
import { DeactivateMemberInput, SetMemberRolesInput } from './dto/set-member-roles.input.js';
import { Member, toMember } from './member.object.js';
import { MemberRepository } from './member.repository.js';
import { MemberService } from './member.service.js';

@Resolver(() => Member)
export class MemberResolver {
  constructor(
    private readonly members: MemberService,
    private readonly memberRepo: MemberRepository,
    private readonly loaders: IdentityLoaders,
  ) {}

  @Public()
  @Query(() => Member, { nullable: true, description: "The signed-in member (or the token's member); null for anonymous callers." })
  async me(@CurrentActor() actor: Actor): Promise<Member | null> {
    if (!actor.memberId) return null;
    // Yourself, whatever the token's scopes.
    const self = await this.memberRepo.findForSignIn(actor.memberId);
    return self ? toMember(self, actor) : null;
  }

  @RequirePermission(Permission.MEMBER_MANAGE)
  @Mutation(() => Member)
  async setMemberRoles(@CurrentActor() actor: Actor, @Args('input') input: SetMemberRolesInput): Promise<Member> {
    return toMember(await this.members.setRoles(actor, requireGlobalId(input.id, 'Member'), input.roles), actor);
  }

  @RequirePermission(Permission.MEMBER_MANAGE)
  @Mutation(() => Member, { description: 'An officer who left: ends every session, token and subscription at once.' })
  async deactivateMember(@CurrentActor() actor: Actor, @Args('input') input: DeactivateMemberInput): Promise<Member> {
    return toMember(await this.members.deactivate(actor, requireGlobalId(input.id, 'Member')), actor);
  }

  @ResolveField(() => Organisation)
  async organisation(member: Member, _args: unknown, context: RequestContext): Promise<Organisation> {
    const organisation = await this.loaders.for(context).organisation.load(member.organisationRowId);
    return toOrganisation(organisation!);
  }
}
