import { tagLabel, tagSlug } from '../../libs/practices/src/tags/tag-slug.js';

/** One normal form per tag, so "Cyber Security" and "cyber-security" are the same tag for search and digests. */
describe('tagSlug', () => {
  it.each(['Cyber Security', 'cyber-security', ' cyber  security ', 'CYBER_SECURITY', 'Cyber -- Security!', '\tcyber\nsecurity\t'])(
    '"%s" → "cyber-security"',
    (label) => {
      expect(tagSlug(label)).toBe('cyber-security');
    },
  );

  it('folds accents', () => {
    expect(tagSlug('Désinformation')).toBe('desinformation');
    expect(tagSlug('Sécurité électorale')).toBe('securite-electorale');
    expect(tagSlug('Wählerinformation')).toBe('wahlerinformation');
    expect(tagSlug('Comunicação')).toBe('comunicacao');
    // Composed and decomposed spellings of the same word give one tag.
    expect(tagSlug('caf\u00e9')).toBe(tagSlug('cafe\u0301'));
    expect(tagSlug('café')).toBe('cafe');
  });

  it('spells letters without an accent form in plain Latin rather than dropping them', () => {
    expect(tagSlug('Øresund')).toBe('oresund');
    expect(tagSlug('Straße')).toBe('strasse');
    expect(tagSlug('Łódź')).toBe('lodz');
  });

  it('keeps digits and spells out "&"', () => {
    expect(tagSlug('Count integrity 2024')).toBe('count-integrity-2024');
    expect(tagSlug('Q&A')).toBe('q-and-a');
  });

  it('gives an empty slug for punctuation only, so it can be refused', () => {
    expect(tagSlug('!!!')).toBe('');
    expect(tagSlug('   ')).toBe('');
    expect(tagSlug('-_-')).toBe('');
  });

  it('never lets markup or path characters into a slug', () => {
    expect(tagSlug('<script>alert(1)</script>')).toBe('script-alert-1-script');
    expect(tagSlug('../../etc/passwd')).toBe('etc-passwd');
  });

  it('is idempotent', () => {
    for (const label of ['Cyber Security', 'Désinformation', 'Q&A', 'Fake accounts']) expect(tagSlug(tagSlug(label))).toBe(tagSlug(label));
  });
});

describe('tagLabel', () => {
  it('tidies white space but keeps what people typed', () => {
    expect(tagLabel('  Cyber   Security \n')).toBe('Cyber Security');
    expect(tagLabel('Désinformation')).toBe('Désinformation');
  });
});
