/**
 * Traffic Light Protocol levels: who may read a practice. Drafts are read by the author's organisation only,
 * whatever the level; hidden practices by nobody.
 */
export enum Visibility {
  /** Anyone, even without signing in, and the public Atom feed. */
  TLP_CLEAR = 'TLP_CLEAR',
  /** Every member of every organisation on the platform. */
  TLP_GREEN = 'TLP_GREEN',
  /** The author's organisation plus the audience organisations it names. */
  TLP_AMBER = 'TLP_AMBER',
  /** The author's organisation only. */
  TLP_AMBER_STRICT = 'TLP_AMBER_STRICT',
}

export enum PracticeStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  ARCHIVED = 'ARCHIVED',
}

/** Only TLP_AMBER practices name audience organisations. */
export function takesAudience(visibility: Visibility): boolean {
  return visibility === Visibility.TLP_AMBER;
}
