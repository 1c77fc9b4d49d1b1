import { readFileSync } from 'node:fs';
import { schemaFileText } from '../../apps/api/src/schema-file.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// schema.graphql is what integrators diff between releases: when this fails, run `npm run schema:print` and
// review the change as an API change.
describe('schema.graphql', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('matches the schema the code builds', () => {
    expect(readFileSync('schema.graphql', 'utf8')).toBe(schemaFileText(t.app));
  });

  it('keeps the names integrators rely on', () => {
    const schema = schemaFileText(t.app);
    for (const query of ['me', 'node', 'organisation', 'organisations', 'practice', 'practices', 'tags', 'apiTokens', 'flags', 'auditEvents']) {
      expect(schema).toMatch(new RegExp(`^  ${query}[(:]`, 'm'));
    }
    for (const mutation of [
      'createPractice',
      'updatePractice',
      'publishPractice',
      'archivePractice',
      'addComment',
      'editComment',
      'deleteComment',
      'recordAdoption',
      'flagContent',
      'resolveFlag',
      'createApiToken',
      'revokeApiToken',
      'setMemberRoles',
      'deactivateMember',
      'upsertOrganisation',
    ]) {
      const input = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
      expect(schema).toContain(`  ${mutation}(input: ${input}!)`);
    }
  });
});
