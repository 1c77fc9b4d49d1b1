import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** `first` and `after` of every connection; `first` above the maximum is a BAD_USER_INPUT error. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  after?: string | null;
}

/** A keyset position: the sort key values of the last row seen. */
export type CursorKey = (string | number | null)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * What one value of a cursor's key is, as its column needs it: `timestamp` an ISO instant as `toISOString()` writes it,
 * `uuid` a row id, `text` a slug, `integer` a 32-bit whole number, `number` a finite number (a search rank).
 */
export type CursorField = 'timestamp' | 'uuid' | 'text' | 'integer' | 'number';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT4 = 2 ** 31;

function fits(value: unknown, field: CursorField): boolean {
  switch (field) {
    case 'timestamp':
      // Only the exact spelling we write: anything else (a 30th of February, year 0, another offset) never came from us.
      return typeof value === 'string' && /^[1-9]\d{3}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value) && new Date(value).toISOString() === value;
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'text':
      // PostgreSQL text holds no NUL character.
      return typeof value === 'string' && value.length <= 255 && !value.includes('\u0000');
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= -INT4 && value < INT4;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
  }
}

/**
 * The key of a cursor of a list sorted by `shape`. Every value is checked against its column's type, so a forged,
 * damaged or foreign cursor is refused here as bad input and never reaches SQL.
 * @throws IdentityError INVALID_CURSOR when the cursor was not made by us for a key of this shape.
 */
export function decodeCursor(cursor: string, shape: readonly CursorField[]): CursorKey {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === shape.length && key.every((value, i) => fits(value, shape[i]!))) {
      return key as CursorKey;
    }
  } catch {
    // reported below
  }
  throw new IdentityError(IdentityErrorCode.INVALID_CURSOR, 'after: not a cursor of this list; pass an endCursor from a previous page', 'after');
}

type FieldValue<F extends CursorField> = F extends 'integer' | 'number' ? number : string;

/** The usual key of a list sorted newest or oldest first, with the id breaking ties. */
export const CREATED_AT_ID = { createdAt: 'timestamp', id: 'uuid' } as const;

/**
 * The key after a cursor as named columns (`{ createdAt, id }` for {@link CREATED_AT_ID}), undefined without a
 * cursor: what a repository's keyset read takes. Checked as {@link decodeCursor} checks it.
 */
export function cursorKeyAfter<S extends Record<string, CursorField>>(
  after: string | null | undefined,
  shape: S,
): { [P in keyof S]: FieldValue<S[P]> } | undefined {
  if (!after) return undefined;
  const names = Object.keys(shape);
  const values = decodeCursor(
    after,
    names.map((name) => shape[name]!),
  );
  return Object.fromEntries(names.map((name, i) => [name, values[i]])) as { [P in keyof S]: FieldValue<S[P]> };
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/**
 * Builds a page from `first + 1` rows fetched after the cursor, so `hasNextPage` needs no count query.
 */
export function toPage<R, T>(rows: R[], first: number, keyOf: (row: R) => CursorKey, map: (row: R) => T, hadCursor: boolean): Page<T> {
  const visible = rows.slice(0, first);
  const edges = visible.map((row) => ({ cursor: encodeCursor(keyOf(row)), node: map(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hadCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

type Class<T> = abstract new (...args: never[]) => T;

/** The `XEdge` and `XConnection` object types for node type `X`. */
export function Connection<T>(nodeType: Class<T>, name = nodeType.name) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { isAbstract: true })
  abstract class ConnectionType {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}
