export { DigestError, DigestErrorCode } from './digests.errors.js';
export { DigestsApiModule } from './digests-api.module.js';
export { DigestsModule } from './digests.module.js';

/** The tables digests owns. */
export const DIGEST_ENTITIES: (new () => object)[] = [];
