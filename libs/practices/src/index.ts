export { PracticeAccess, PracticeAccessService } from './access/practice-access.js';
export { AdoptionEntity } from './adoptions/adoption.entity.js';
export { AdoptionService } from './adoptions/adoption.service.js';
export { RecordAdoptionInput } from './adoptions/dto/record-adoption.input.js';
export { CommentEntity } from './comments/comment.entity.js';
export { CommentService } from './comments/comment.service.js';
export { AddCommentInput, DeleteCommentInput, EditCommentInput } from './comments/dto/comment.input.js';
export { FlagEntity, FlagReason, FlagStatus } from './flags/flag.entity.js';
export { FlagAction, FlagService } from './flags/flag.service.js';
export { FlagRepository } from './flags/flag.repository.js';
export { FlagContentInput, FlagsArgs, ResolveFlagInput, UnhideContentInput } from './flags/dto/flag.input.js';
export { PracticeLoaders, commentPageKey, type PracticeLoaderGroup } from './graphql/practice.loaders.js';
export { PracticesGraphqlModule } from './practices-graphql.module.js';
export { PracticeError, PracticeErrorCode } from './practices.errors.js';
export { PracticesModule } from './practices.module.js';
export { PracticePublication, type PublicationHook } from './practices/practice-publication.js';
export { PracticeAudienceEntity } from './practices/practice-audience.entity.js';
export { PracticeEntity, type PracticeResource } from './practices/practice.entity.js';
export { PracticeOrder, PracticeRepository } from './practices/practice.repository.js';
export { practiceFilterPredicate, type PracticeFilterValues } from './practices/practice-filter.predicate.js';
export { normalisePracticeFilter, type NormalisedPracticeFilter, type PracticeFilterFields } from './practices/practice-filter.normalise.js';
export { Practice, toPractice } from './practices/practice.object.js';
export { PracticeFilter } from './practices/dto/practices.args.js';
export { CreatePracticeInput, UpdatePracticeInput } from './practices/dto/practice-mutations.input.js';
export { PracticeService } from './practices/practice.service.js';
export { PracticeQueryService } from './practices/practice-query.service.js';
export { PracticeConnection, PracticeEdge } from './practices/practice.object.js';
export { renderSnippet } from './practices/snippet.js';
export { PracticeRevisionEntity } from './revisions/practice-revision.entity.js';
export { RevisionRepository } from './revisions/revision.repository.js';
export { PracticeTagEntity } from './tags/practice-tag.entity.js';
export { TOPIC_VOCABULARY, tagLabel, tagSlug } from './tags/tag-slug.js';
export { TagEntity } from './tags/tag.entity.js';
export { TagRepository } from './tags/tag.repository.js';
export { PracticeStatus, Visibility, takesAudience } from './visibility/visibility.enum.js';
export {
  practiceColumns,
  revisionColumns,
  visiblePracticePredicate,
  visibleRevisionPredicate,
  type SqlPredicate,
  type VisibilityColumns,
} from './visibility/visibility.predicate.js';

import { AdoptionEntity as AdoptionTable } from './adoptions/adoption.entity.js';
import { CommentEntity as CommentTable } from './comments/comment.entity.js';
import { FlagEntity as FlagTable } from './flags/flag.entity.js';
import { PracticeAudienceEntity as AudienceTable } from './practices/practice-audience.entity.js';
import { PracticeEntity as PracticeTable } from './practices/practice.entity.js';
import { PracticeRevisionEntity as RevisionTable } from './revisions/practice-revision.entity.js';
import { PracticeTagEntity as PracticeTagTable } from './tags/practice-tag.entity.js';
import { TagEntity as TagTable } from './tags/tag.entity.js';

/** The tables practices owns. */
export const PRACTICE_ENTITIES = [PracticeTable, AudienceTable, RevisionTable, TagTable, PracticeTagTable, CommentTable, AdoptionTable, FlagTable];
