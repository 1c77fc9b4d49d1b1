import { ResolveField, Resolver } from '@nestjs/graphql';
import { IdentityLoaders, Member, toMember, type RequestContext } from '#identity';
import { Revision } from './revision.object.js';

@Resolver(() => Revision)
export class RevisionResolver {
  constructor(private readonly identity: IdentityLoaders) {}

  @ResolveField(() => Member, { nullable: true, description: 'Who made this revision; null for anonymous callers.' })
  async editor(revision: Revision, _args: unknown, context: RequestContext): Promise<Member | null> {
    const member = await this.identity.for(context).member.load(revision.editorRowId);
    return member ? toMember(member, context.actor) : null;
  }
}
