import { byIds, groupBy, groupsByIds } from '../../libs/identity/src/graphql/rows-by-key.js';

describe('rows by key', () => {
  const rows = [
    { id: 'r1', practiceId: 'p1', tag: 'a' },
    { id: 'r2', practiceId: 'p2', tag: 'b' },
    { id: 'r3', practiceId: 'p1', tag: 'c' },
  ];

  it('groups rows by key, keeping their order within each group', () => {
    const groups = groupBy(rows, (r) => r.practiceId);
    expect([...groups.keys()]).toEqual(['p1', 'p2']);
    expect(groups.get('p1')!.map((r) => r.id)).toEqual(['r1', 'r3']);
  });

  it('takes a value of each row when asked', () => {
    expect(
      groupBy(
        rows,
        (r) => r.practiceId,
        (r) => r.tag,
      ),
    ).toEqual(
      new Map([
        ['p1', ['a', 'c']],
        ['p2', ['b']],
      ]),
    );
  });

  it('answers a batch of lists in the order of the ids, empty where an id has none', () => {
    expect(
      groupsByIds(
        ['p2', 'p3', 'p1'],
        groupBy(
          rows,
          (r) => r.practiceId,
          (r) => r.tag,
        ),
      ),
    ).toEqual([['b'], [], ['a', 'c']]);
  });

  it('answers a batch of rows in the order of the ids, null where one is missing', () => {
    expect(byIds(['r3', 'rx', 'r1'], rows).map((r) => r?.id ?? null)).toEqual(['r3', null, 'r1']);
  });

  it('groups a large batch in one pass', () => {
    const many = Array.from({ length: 200_000 }, (_, i) => ({ key: `k${i % 1000}`, i }));
    const started = performance.now();
    const groups = groupBy(many, (r) => r.key);
    expect(groups.size).toBe(1000);
    expect(groups.get('k7')!.length).toBe(200);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
