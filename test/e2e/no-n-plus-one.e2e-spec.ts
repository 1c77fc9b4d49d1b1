import { SqlLogger } from '#database';
import { Role } from '#identity';
import { Visibility } from '#practices';
import { createAdoption, createComment, createMember, createOrganisation, createPractice } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PAGE = `query($first: Int!) { practices(first: $first) { edges { node {
  id title organisation { slug name kind } author { name } tags { slug label } commentCount adoptionCount } } } }`;

describe('related objects load through DataLoader', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp();
    const org = await createOrganisation(t.app);
    const other = await createOrganisation(t.app);
    const author = await createMember(t.app, org, [Role.CONTRIBUTOR]);
    const reader = await createMember(t.app, other, [Role.CONTRIBUTOR]);
    token = reader.token;
    for (let i = 0; i < 55; i += 1) {
      const practice = await createPractice(t.app, author, { visibility: i % 2 ? Visibility.TLP_GREEN : Visibility.TLP_CLEAR, tags: [`Topic ${i % 7}`, 'Phishing'] });
      if (i % 3 === 0) await createComment(t.app, reader, practice);
      if (i % 4 === 0) await createAdoption(t.app, reader, practice);
    }
  });
  afterAll(() => t.close());

  async function statementsFor(first: number): Promise<number> {
    const before = SqlLogger.statementCount;
    const response = await t.gql(PAGE, { first }, token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.practices.edges).toHaveLength(first);
    expect(response.data!.practices.edges[0].node.author.name).toEqual(expect.any(String));
    return SqlLogger.statementCount - before;
  }

  it('sends as many SQL statements for 50 practices as for 5', async () => {
    await statementsFor(1); // the token's first use is recorded once; leave it out of the comparison
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(10);
  });
});
