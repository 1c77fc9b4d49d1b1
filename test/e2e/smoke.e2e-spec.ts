import { Visibility } from '#practices';
import { createMember, createOrganisation, createPractice } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('a practice through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('shows a published TLP_CLEAR practice to an anonymous caller, without its author', async () => {
    const org = await createOrganisation(t.app);
    const author = await createMember(t.app, org);
    const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR });
    const response = await t.gql('query($id: ID!) { practice(id: $id) { id title organisation { slug } author { id } } }', { id: practice.gid });
    expect(response.errors).toBeUndefined();
    expect(response.data?.practice).toEqual({ id: practice.gid, title: practice.title, organisation: { slug: org.slug }, author: null });
  });
});
