import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

interface EntityShape {
  /** `"p"."organisation_id" AS "organisationId", …` for each alias asked for. */
  selects: Map<string, string>;
  prototype: object;
  /** Property names of the columns: the rest of a row is `extra`. */
  properties: Set<string>;
}

const shapes = new WeakMap<object, EntityShape>();

function shapeOf(manager: EntityManager, target: EntityTarget<ObjectLiteral>): EntityShape {
  const metadata = manager.connection.getMetadata(target);
  const key = metadata.target as object;
  let shape = shapes.get(key);
  if (!shape) {
    // Values TypeORM itself would convert on the way out of the driver: not handled here, so refused.
    const converted = metadata.columns.filter((c) => c.transformer || ['date', 'time', 'simple-array', 'simple-json'].includes(String(c.type)));
    if (converted.length) throw new Error(`${metadata.name}: queryEntities maps plain columns only, not ${converted.map((c) => c.propertyName).join(', ')}`);
    shape = {
      selects: new Map(),
      prototype: (metadata.target as { prototype: object }).prototype,
      properties: new Set(metadata.columns.map((c) => c.propertyName)),
    };
    shapes.set(key, shape);
  }
  return shape;
}

/**
 * The select list of the columns of `target` (those not marked `select: false`) from the table aliased `alias`, each
 * named as its property; arrays of an enum type are cast to text[], which the driver parses as any text array.
 */
export function entityColumns(manager: EntityManager, target: EntityTarget<ObjectLiteral>, alias: string): string {
  const shape = shapeOf(manager, target);
  let selects = shape.selects.get(alias);
  if (!selects) {
    const metadata = manager.connection.getMetadata(target);
    selects = metadata.columns
      .filter((c) => c.isSelect)
      .map((c) => `"${alias}"."${c.databaseName}"${c.isArray && c.type === 'enum' ? '::text[]' : ''} AS "${c.propertyName}"`)
      .join(', ');
    shape.selects.set(alias, selects);
  }
  return selects;
}

/**
 * Runs hand-written SQL (`:name` and `:...list` parameters, as the query builder takes them) and returns its rows as
 * entities. For the hot read paths: building a statement and hydrating its rows through the query builder cost more
 * than the statement itself on a page of twenty. Select the columns with {@link entityColumns}; other columns of the
 * row come back as `extra`.
 */
export async function queryEntities<T extends ObjectLiteral, Extra extends Record<string, unknown> = Record<string, never>>(
  manager: EntityManager,
  target: EntityTarget<T>,
  sql: string,
  params: Record<string, unknown>,
): Promise<{ entity: T; extra: Extra }[]> {
  const shape = shapeOf(manager, target);
  const rows = await queryRows<Record<string, unknown>>(manager, sql, params);
  return rows.map((row) => {
    const entity = Object.create(shape.prototype) as T;
    const extra: Record<string, unknown> = {};
    for (const key of Object.keys(row)) {
      if (shape.properties.has(key)) (entity as Record<string, unknown>)[key] = row[key];
      else extra[key] = row[key];
    }
    return { entity, extra: extra as Extra };
  });
}

/** Runs hand-written SQL with `:name` and `:...list` parameters, as the query builder takes them; rows as the driver gives them. */
export async function queryRows<Row>(manager: EntityManager, sql: string, params: Record<string, unknown>): Promise<Row[]> {
  const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, params);
  return (await manager.query(text, values)) as Row[];
}

/** The rows of `target` whose id is among `ids`, as entities; for per-request loaders. */
export async function entitiesByIds<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, ids: readonly string[]): Promise<T[]> {
  if (!ids.length) return [];
  const table = manager.connection.getMetadata(target).tableName;
  const rows = await queryEntities(manager, target, `SELECT ${entityColumns(manager, target, 't')} FROM "${table}" t WHERE t.id IN (:...ids)`, {
    ids: [...ids],
  });
  return rows.map((r) => r.entity);
}
