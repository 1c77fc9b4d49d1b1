import type { SeedManifest } from '../seed/manifest.js';

/** One request of a scenario, as a client sends it. */
export interface ScenarioRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Scenario {
  name: string;
  label: string;
  kind: 'read' | 'write';
  /** The feed, search and detail statements must not read `practice` or `comment` by a sequential scan. */
  planChecked: boolean;
  /** Also measured at one connection (one person alone). */
  alone?: boolean;
  request: ScenarioRequest;
}

const FEED = `query Feed($first: Int!) {
  practices(first: $first) {
    edges { cursor node { id title summary visibility publishedAt organisation { id slug name kind country } tags { slug label } author { id name } commentCount adoptionCount } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const SEARCH = `query Search($first: Int!, $query: String!) {
  practices(first: $first, filter: { query: $query }) {
    edges { cursor snippet node { id title summary visibility publishedAt organisation { id slug name } tags { slug label } commentCount adoptionCount } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const DETAIL = `query Detail($id: ID!) {
  practice(id: $id) {
    id title summary problem approach outcomes visibility revision publishedAt
    organisation { id slug name } tags { slug label } author { id name } commentCount adoptionCount
    comments(first: 50) {
      edges { node { id body createdAt author { id name } replyCount replies(first: 10) { edges { node { id body createdAt author { id name } } } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const NODE = `query Node($id: ID!) {
  node(id: $id) { id ... on Practice { title summary visibility publishedAt organisation { slug name } } }
}`;

function graphql(query: string, variables: Record<string, unknown>, token?: string): ScenarioRequest {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  };
}

/** The read scenarios, as the API is used, on the manifest's data. */
export function readScenarios(manifest: SeedManifest): Scenario[] {
  const token = manifest.tokens.contributor;
  return [
    { name: 'feed-anonymous', label: 'feed page, anonymous', kind: 'read', planChecked: true, request: graphql(FEED, { first: 20 }) },
    { name: 'feed-token', label: 'feed page, contributor token', kind: 'read', planChecked: true, request: graphql(FEED, { first: 20 }, token) },
    {
      name: 'search',
      label: `search "${manifest.search.common}", token`,
      kind: 'read',
      planChecked: true,
      alone: true,
      request: graphql(SEARCH, { first: 20, query: manifest.search.common }, token),
    },
    {
      name: 'search-rare',
      label: `search "${manifest.search.rare}", token`,
      kind: 'read',
      planChecked: true,
      alone: true,
      request: graphql(SEARCH, { first: 20, query: manifest.search.rare }, token),
    },
    {
      name: 'detail',
      label: 'practice with 50 comments, token',
      kind: 'read',
      planChecked: true,
      request: graphql(DETAIL, { id: manifest.practices.withFiftyComments }, token),
    },
    { name: 'node', label: 'node(id:), token', kind: 'read', planChecked: false, request: graphql(NODE, { id: manifest.practices.clear }, token) },
    {
      name: 'web-practices',
      label: 'GET /practices (HTML), anonymous',
      kind: 'read',
      planChecked: false,
      request: { method: 'GET', path: '/practices', headers: { accept: 'text/html' } },
    },
  ];
}

export const CREATE_PRACTICE = `mutation Create($input: CreatePracticeInput!) { createPractice(input: $input) { id revision } }`;
export const PUBLISH_PRACTICE = `mutation Publish($input: PublishPracticeInput!) { publishPractice(input: $input) { id status publishedAt } }`;

/** Titles of the practices the write scenario makes, so the run removes them afterwards. */
export const WRITE_TITLE_PREFIX = 'Benchmark write';

export function createPracticeBody(sequence: number): string {
  return JSON.stringify({
    query: CREATE_PRACTICE,
    variables: {
      input: {
        title: `${WRITE_TITLE_PREFIX} ${sequence}: briefing polling station staff on deepfake audio`,
        summary: 'A short briefing that count and polling station staff can give in five minutes when a fake recording circulates.',
        problem: 'Fake audio of a returning officer spread on polling day and staff did not know what to say.',
        approach: 'We wrote a one-page script, rehearsed it with the staff and agreed who answers the press.',
        outcomes: 'Calls to the helpline fell by half within the hour.',
        tags: ['deepfakes', 'election administration'],
        visibility: 'TLP_AMBER_STRICT',
      },
    },
  });
}

export function publishPracticeBody(id: string): string {
  return JSON.stringify({ query: PUBLISH_PRACTICE, variables: { input: { id } } });
}

/** The write scenario: create a practice, then publish it (two mutations an iteration); no baseline. */
export function writeScenario(manifest: SeedManifest): Scenario {
  return {
    name: 'create-publish',
    label: 'create then publish, token',
    kind: 'write',
    planChecked: false,
    request: { ...graphql(CREATE_PRACTICE, {}, manifest.tokens.contributor), body: createPracticeBody(0) },
  };
}
