import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../codegen.js';
import { renderSchemaFile } from '../src/graphql/printSchema.js';

// Clients generate from the committed schema.graphql and import the committed typed documents; both must be
// what the server really runs. Fix a failure with `npm run schema && npm run codegen`.
describe('committed GraphQL artifacts', () => {
  it('schema.graphql matches the TypeGraphQL resolvers', async () => {
    const committed = await readFile(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed, 'schema.graphql is stale: run `npm run schema`').toBe(await renderSchemaFile());
  });

  it('the generated typed documents match schema.graphql and operations/', async () => {
    const outputs = await generate({ ...codegenConfig, cwd: new URL('..', import.meta.url).pathname, silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const committed = await readFile(new URL(`../${output.filename}`, import.meta.url), 'utf8');
      expect(committed, `${output.filename} is stale: run \`npm run codegen\``).toBe(output.content);
    }
  });
});
