import { readFileSync, writeFileSync } from 'node:fs';
import { PracticeOrder, PracticeRepository, PracticeStatus, visiblePracticePredicate, visibleRevisionPredicate } from '#practices';
import { RevisionRepository } from '../../libs/practices/src/revisions/revision.repository.js';
import { TransactionHost } from '#database';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { DigestCompositionRepository } from '../../libs/digests/src/deliveries/digest-composition.repository.js';
import { DigestSubscriptionRepository } from '../../libs/digests/src/subscriptions/digest-subscription.repository.js';
import type { DigestSubscriptionEntity } from '../../libs/digests/src/subscriptions/digest-subscription.entity.js';

// libs/practices/sql/ and libs/digests/sql/ hold the real SQL of the read rule, the practice list and the digest
// selection, so reviewers see what a change does to it. When this fails after an intended change, run the tests with
// UPDATE_SQL=1 and review the diff.
const FILE = 'libs/practices/sql/visibility.sql';
const DIGEST_FILE = 'libs/digests/sql/digest-selection.sql';
const VIEWER = { memberId: '00000000-0000-4000-8000-000000000001', organisationId: '00000000-0000-4000-8000-000000000002' };

describe('committed SQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** The SQL statements `work` sends through the real DataSource. */
  async function recorded(work: () => Promise<unknown>): Promise<string[]> {
    const statements: string[] = [];
    const logger = t.dataSource.logger;
    const logQuery = logger.logQuery;
    logger.logQuery = (query, parameters, runner) => {
      statements.push(query.replace(/\s+/g, ' ').trim());
      return logQuery.call(logger, query, parameters, runner);
    };
    try {
      await work();
    } finally {
      logger.logQuery = logQuery;
    }
    return statements;
  }

  it(`matches ${DIGEST_FILE}`, async () => {
    const subscription = {
      id: '00000000-0000-4000-8000-000000000003',
      createdAt: new Date('2026-12-01T00:00:00Z'),
      filter: { tags: ['phishing'], organisationKinds: ['UK_COUNCIL'], countries: ['GB'] },
    } as unknown as DigestSubscriptionEntity;
    const [compose] = await recorded(() => t.app.get(DigestCompositionRepository).recordPending(subscription, VIEWER, '00000000-0000-4000-8000-000000000004'));
    const subscriptions = t.app.get(DigestSubscriptionRepository);
    const statements = await recorded(() =>
      t.app
        .get(TransactionHost)
        .run(() => subscriptions.lockScheduledByWatermark(1000, { lastAttemptedAt: new Date('2026-12-01T07:00:00Z'), id: subscription.id })),
    );
    const schedule = statements.find((s) => s.includes('FOR UPDATE'));
    const text = [
      '-- The digest selection (libs/digests/src/deliveries/digest-composition.repository.ts and the scheduler), as sent to',
      '-- PostgreSQL. Checked by test/contract/sql-snapshots.int-spec.ts.',
      '',
      '-- One digest: its entries composed (read rule for the subscriber, the filter: tags, organisation kinds, countries;',
      '-- published since the subscription began, never sent to it before) and recorded in one statement',
      `${compose};`,
      '',
      '-- The scheduler: the next page of DAILY and WEEKLY subscriptions by watermark, locked, skipping those another holds',
      `${schedule};`,
      '',
    ].join('\n');
    if (process.env.UPDATE_SQL === '1') writeFileSync(DIGEST_FILE, text);
    expect(readFileSync(DIGEST_FILE, 'utf8')).toBe(text);
  });

  it(`matches ${FILE}`, async () => {
    const anonymous = visiblePracticePredicate({ memberId: null, organisationId: null });
    const member = visiblePracticePredicate(VIEWER);
    const anonymousRevision = visibleRevisionPredicate({ memberId: null, organisationId: null });
    const memberRevision = visibleRevisionPredicate(VIEWER);
    const statements: string[] = [];
    const logger = t.dataSource.logger;
    const logQuery = logger.logQuery;
    // Record the SQL of one list query through the real repository.
    logger.logQuery = (query, parameters, runner) => {
      statements.push(query);
      return logQuery.call(logger, query, parameters, runner);
    };
    try {
      await t.app
        .get(PracticeRepository)
        .listVisible(VIEWER, { status: PracticeStatus.PUBLISHED, query: 'phishing', tagSlugs: ['phishing'] }, PracticeOrder.RELEVANCE, 20);
    } finally {
      logger.logQuery = logQuery;
    }
    const listing = statements.find((s) => s.includes('ts_rank_cd'));
    expect(listing).toBeDefined();
    const [revisions] = await recorded(() => t.app.get(RevisionRepository).listVisible(VIEWER, '00000000-0000-4000-8000-000000000005', 20));
    const text = [
      '-- The practice read rule (libs/practices/src/visibility/visibility.predicate.ts), rendered for each kind of viewer,',
      '-- one search query built on it, and the revision read rule built on it. Checked by test/contract/sql-snapshots.int-spec.ts.',
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
      "-- a revision (r) of a practice (p): readable under both the practice's current level and its own recorded one",
      '-- anonymous viewer',
      `${anonymousRevision.sql};`,
      `-- parameters: ${JSON.stringify(anonymousRevision.params)}`,
      '',
      '-- signed-in member (organisation :visOrg)',
      `${memberRevision.sql};`,
      `-- parameters: ${JSON.stringify(Object.keys(memberRevision.params))}`,
      '',
      '-- Practice.revisions for that member',
      `${revisions};`,
      '',
    ].join('\n');
    if (process.env.UPDATE_SQL === '1') writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });
});
