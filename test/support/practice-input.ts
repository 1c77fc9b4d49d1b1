import { unique } from './unique.js';

/** A valid `CreatePracticeInput` for the GraphQL API (a fresh title each time); `overrides` replace fields. */
export function practiceInput(overrides: Record<string, unknown> = {}) {
  return {
    title: `Phishing drill ${unique()}`,
    summary: 'We ran a phishing drill for polling staff.',
    problem: 'Staff clicked links in fake supplier e-mails.',
    approach: 'Monthly simulated phishing with instant feedback.',
    outcomes: 'Click rate fell from 18% to 4%.',
    tags: ['Phishing'],
    visibility: 'TLP_GREEN',
    ...overrides,
  };
}
