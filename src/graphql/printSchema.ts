// `npm run schema` writes schema.graphql from the TypeGraphQL classes; test/schema.test.ts fails when the
// committed file is stale, so the schema clients generate from is always the one the server runs.
import { writeFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { InProcessProgressBus } from '../progress/inProcess.js';
import { buildGraphQLSchema } from './schema.js';

export async function renderSchemaFile(): Promise<string> {
  const header = '# Generated from the TypeGraphQL resolvers by `npm run schema`. Do not edit by hand.\n\n';
  return header + printSchema(await buildGraphQLSchema(new InProcessProgressBus())) + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(new URL('../../../schema.graphql', import.meta.url), await renderSchemaFile());
}
