import { Module } from '@nestjs/common';
import { IdentityModule } from '#identity';
import { PracticeAccessService } from './access/practice-access.js';
import { AdoptionRepository } from './adoptions/adoption.repository.js';
import { AdoptionService } from './adoptions/adoption.service.js';
import { CommentRepository } from './comments/comment.repository.js';
import { CommentService } from './comments/comment.service.js';
import { FlagRepository } from './flags/flag.repository.js';
import { FlagService } from './flags/flag.service.js';
import { PracticePublication } from './practices/practice-publication.js';
import { PracticeQueryService } from './practices/practice-query.service.js';
import { PracticeRepository } from './practices/practice.repository.js';
import { PracticeService } from './practices/practice.service.js';
import { RevisionRepository } from './revisions/revision.repository.js';
import { TagRepository } from './tags/tag.repository.js';

const providers = [
  PracticeAccessService,
  PracticeRepository,
  PracticeService,
  PracticeQueryService,
  PracticePublication,
  RevisionRepository,
  TagRepository,
  CommentRepository,
  CommentService,
  AdoptionRepository,
  AdoptionService,
  FlagRepository,
  FlagService,
];

/** Practices and what hangs off them: services and repositories, no GraphQL (the worker imports this one). */
@Module({ imports: [IdentityModule], providers, exports: providers })
export class PracticesModule {}
