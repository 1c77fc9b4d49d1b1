/**
 * The one normal form of a tag: lower case, accents folded, any run of spaces, hyphens, underscores or punctuation
 * becoming one hyphen. "Cyber Security", "cyber-security" and " cyber  security " all give "cyber-security".
 */
export function tagSlug(label: string): string {
  return label
    .replace(/[øØßæÆœŒđĐłŁþÞðÐ]/g, (c) => LETTERS[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Letters without an accent decomposition, spelt in plain Latin so they are not dropped. */
const LETTERS: Record<string, string> = {
  ø: 'o',
  Ø: 'o',
  ß: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  đ: 'd',
  Đ: 'd',
  ł: 'l',
  Ł: 'l',
  þ: 'th',
  Þ: 'th',
  ð: 'd',
  Ð: 'd',
};

/** A label as people typed it, with its white space tidied. */
export function tagLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ');
}

/** The curated topic vocabulary, seeded by the first migration and kept in step by the demo start. */
export const TOPIC_VOCABULARY: readonly string[] = [
  'Cyber resilience',
  'Phishing',
  'Disinformation',
  'Fake accounts',
  'Candidate safety',
  'Election administration',
  'Communications',
  'Incident response',
  'Polling day',
  'Count integrity',
  'Social media',
  'Training',
  'Partnerships',
  'Data protection',
  'Physical security',
  'Voter information',
  'Deepfakes',
  'Threat intelligence',
];
