import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import { Public } from '../auth/auth.decorators.js';
import { Node } from './node.interface.js';
import { NodeRegistry } from './node.registry.js';
import type { RequestContext } from './request-context.js';

@Resolver(() => Node)
export class NodeResolver {
  constructor(private readonly registry: NodeRegistry) {}

  @Public()
  @Query(() => Node, { nullable: true, description: 'Any object by global ID, when the caller may see it; null otherwise.' })
  node(@Args('id', { type: () => ID }) id: string, @Context() context: RequestContext): Promise<object | null> {
    return this.registry.resolve(id, context);
  }
}
