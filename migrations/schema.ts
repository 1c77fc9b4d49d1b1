import { IDENTITY_ENTITIES } from '#identity';
import { PRACTICE_ENTITIES } from '#practices';
import { DIGEST_ENTITIES } from '#digests';
import { MIGRATIONS } from './index.js';

/** Every table the application maps, in one list for the DataSource and the drift check. */
export const ENTITIES = [...IDENTITY_ENTITIES, ...PRACTICE_ENTITIES, ...DIGEST_ENTITIES];

export { MIGRATIONS };
