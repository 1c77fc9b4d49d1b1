import { randomBytes } from 'node:crypto';

/** Eight hex characters, so that names, slugs and tags made by one test never meet another's. */
export const unique = () => randomBytes(4).toString('hex');
