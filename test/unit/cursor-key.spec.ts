import { CREATED_AT_ID, cursorKeyAfter, encodeCursor } from '../../libs/identity/src/graphql/connection.js';

describe('cursorKeyAfter', () => {
  const at = '2026-01-02T03:04:05.678Z';
  const id = '0b7c6a0e-8a4e-4a8e-9a53-2f1c3f6f4a11';

  it('is undefined without a cursor', () => {
    expect(cursorKeyAfter(undefined, CREATED_AT_ID)).toBeUndefined();
    expect(cursorKeyAfter(null, CREATED_AT_ID)).toBeUndefined();
    expect(cursorKeyAfter('', CREATED_AT_ID)).toBeUndefined();
  });

  it('names the values of a cursor after the columns of its shape', () => {
    expect(cursorKeyAfter(encodeCursor([at, id]), CREATED_AT_ID)).toEqual({ createdAt: at, id });
    expect(cursorKeyAfter(encodeCursor(['Ann', id]), { name: 'text', id: 'uuid' })).toEqual({ name: 'Ann', id });
    expect(cursorKeyAfter(encodeCursor([7]), { revision: 'integer' })).toEqual({ revision: 7 });
  });

  it('refuses a cursor of another shape as decodeCursor does', () => {
    expect(() => cursorKeyAfter(encodeCursor([id, at]), CREATED_AT_ID)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
    expect(() => cursorKeyAfter('not-a-cursor', CREATED_AT_ID)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
  });
});
