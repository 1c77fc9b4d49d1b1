import { Module, type OnModuleInit } from '@nestjs/common';
import { IdentityGraphqlModule, NodeRegistry, accessRuleOf } from '#identity';
import { toAdoption } from './adoptions/adoption.object.js';
import { AdoptionResolver } from './adoptions/adoption.resolver.js';
import { toComment } from './comments/comment.object.js';
import { CommentResolver } from './comments/comment.resolver.js';
import { toFlag } from './flags/flag.object.js';
import { FlagRepository } from './flags/flag.repository.js';
import { FlagResolver } from './flags/flag.resolver.js';
import { PracticeLoaders } from './graphql/practice.loaders.js';
import { PracticesModule } from './practices.module.js';
import { OrganisationPracticesResolver } from './practices/organisation-practices.resolver.js';
import { PracticeFieldsResolver } from './practices/practice-fields.resolver.js';
import { toPractice } from './practices/practice.object.js';
import { PracticeResolver } from './practices/practice.resolver.js';
import { toRevision } from './revisions/revision.object.js';
import { RevisionRepository } from './revisions/revision.repository.js';
import { RevisionResolver } from './revisions/revision.resolver.js';
import { TagResolver } from './tags/tag.resolver.js';

/** Resolvers and loaders of practices; registers its node types with `node(id:)` under the same read rules. */
@Module({
  imports: [PracticesModule, IdentityGraphqlModule],
  providers: [
    PracticeLoaders,
    PracticeResolver,
    PracticeFieldsResolver,
    OrganisationPracticesResolver,
    RevisionResolver,
    TagResolver,
    CommentResolver,
    AdoptionResolver,
    FlagResolver,
  ],
  exports: [PracticeLoaders],
})
export class PracticesGraphqlModule implements OnModuleInit {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly loaders: PracticeLoaders,
    private readonly revisions: RevisionRepository,
    private readonly flags: FlagRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(
      'Practice',
      async (id, context) => {
        const row = await this.loaders.for(context).practice.load(id);
        return row ? toPractice(row) : null;
      },
      accessRuleOf(PracticeResolver, 'practices'),
    );
    this.registry.register(
      'Comment',
      async (id, context) => {
        const row = await this.loaders.for(context).comment.load(id);
        return row ? toComment(row) : null;
      },
      accessRuleOf(PracticeResolver, 'practices'),
    );
    this.registry.register(
      'Adoption',
      async (id, context) => {
        const row = await this.loaders.for(context).adoption.load(id);
        return row ? toAdoption(row) : null;
      },
      accessRuleOf(PracticeResolver, 'practices'),
    );
    this.registry.register(
      'Revision',
      async (id, context) => {
        const row = await this.revisions.findVisibleById(context.actor.viewer, id);
        return row ? toRevision(row) : null;
      },
      accessRuleOf(PracticeResolver, 'practices'),
    );
    this.registry.register(
      'Flag',
      async (id, context) => {
        const [row] = await this.flags.findWorkableByIds(context.actor, [id]);
        return row ? toFlag(row) : null;
      },
      accessRuleOf(FlagResolver, 'flags'),
    );
  }
}
