import { Injectable } from '@nestjs/common';
import { WEB_PATHS } from '../paths.js';
import { loadCatalogues, type Catalogue, type Language } from './messages.js';

/** The message catalogues (apps/web/locales), read once at start-up. */
@Injectable()
export class WebMessages {
  readonly catalogues: Record<Language, Catalogue> = loadCatalogues(WEB_PATHS.locales);
}
