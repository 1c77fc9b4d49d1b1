import { readFileSync, writeFileSync } from 'node:fs';
import { PracticeOrder, PracticeRepository, PracticeStatus, visiblePracticePredicate } from '#practices';
import { startTestApp, type TestApp } from '../support/test-app.js';

// libs/practices/sql/ holds the real SQL of the read rule and of the practice list, so reviewers see what a change
// does to it. When this fails after an intended change, run the tests with UPDATE_SQL=1 and review the diff.
const FILE = 'libs/practices/sql/visibility.sql';
const VIEWER = { memberId: '00000000-0000-4000-8000-000000000001', organisationId: '00000000-0000-4000-8000-000000000002' };

describe('committed SQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it(`matches ${FILE}`, async () => {
    const anonymous = visiblePracticePredicate({ memberId: null, organisationId: null });
    const member = visiblePracticePredicate(VIEWER);
    const statements: string[] = [];
    const logger = t.dataSource.logger;
    const logQuery = logger.logQuery;
    // Record the SQL of one list query through the real repository.
    logger.logQuery = (query, parameters, runner) => {
      statements.push(query);
      return logQuery.call(logger, query, parameters, runner);
    };
    try {
      await t.app.get(PracticeRepository).listVisible(VIEWER, { status: PracticeStatus.PUBLISHED, query: 'phishing', tagSlugs: ['phishing'] }, PracticeOrder.RELEVANCE, 20);
    } finally {
      logger.logQuery = logQuery;
    }
    const listing = statements.find((s) => s.includes('ts_rank_cd'));
    expect(listing).toBeDefined();
    const text = [
      '-- The practice read rule (libs/practices/src/visibility/visibility.predicate.ts), rendered for each kind of viewer,',
      '-- and one search query built on it. Checked by test/contract/sql-snapshots.int-spec.ts.',
      '',
      '-- anonymous viewer',
      `${anonymous.sql};`,
      `-- parameters: ${JSON.stringify(anonymous.params)}`,
      '',
      '-- signed-in member (organisation :visOrg)',
      `${member.sql};`,
      `-- parameters: ${JSON.stringify(Object.keys(member.params))}`,
      '',
      '-- practices(filter: {query, tags}, orderBy: RELEVANCE) for that member',
      `${listing!.replace(/\s+/g, ' ').trim()};`,
      '',
    ].join('\n');
    if (process.env.UPDATE_SQL === '1') writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });
});
