import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { INestApplication } from '@nestjs/common';
import { printSchema } from 'graphql';

export const SCHEMA_HEADER = `# The Practice Exchange GraphQL schema, generated from the code by \`npm run schema:print\`.
# A test fails when the code and this file disagree, so integrators can diff it between releases.

`;

/** The schema as committed in schema.graphql. */
export function schemaFileText(app: INestApplication): string {
  return `${SCHEMA_HEADER}${printSchema(app.get(GraphQLSchemaHost).schema)}\n`;
}
