import { isSlug } from '../../libs/identity/src/organisations/slug.js';

describe('isSlug', () => {
  it('accepts lower-case letters and digits joined by single hyphens', () => {
    for (const value of ['kent', 'east-sussex', 'a1-b2-c3', '42']) expect(isSlug(value)).toBe(true);
  });

  it('refuses capitals, spaces, doubled, leading or trailing hyphens, and the empty string', () => {
    for (const value of ['Kent', 'east sussex', 'east--sussex', '-kent', 'kent-', '', 'kent_1', 'café']) expect(isSlug(value)).toBe(false);
  });
});
