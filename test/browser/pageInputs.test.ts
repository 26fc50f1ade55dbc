// What the page sends: the create form's fields shaped into CreateCharacterInput, and the playground's
// example tabs cut from operations/charsheet.graphql.
import { readFile } from 'node:fs/promises';
import { parse, validate, buildSchema, Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { FormProblem, readCharacterForm } from '../../web/src/app/characterForm.js';
import { exampleTabs } from '../../web/src/playground/exampleTabs.js';

const blank = { name: '', description: '', traits: '', style: '', seed: '' };

describe('create form', () => {
  it('sends only the fields the user filled, traits as key/value pairs', () => {
    expect(readCharacterForm({ ...blank, name: ' Mira ', traits: 'hair: silver braid\n\n eyes :green ', seed: '42' })).toEqual({
      name: 'Mira',
      traits: [{ key: 'hair', value: 'silver braid' }, { key: 'eyes', value: 'green' }],
      seed: 42,
    });
  });

  it.each([
    [{ ...blank }, 'name'],
    [{ ...blank, name: 'M', traits: 'just words' }, 'traits'],
    [{ ...blank, name: 'M', seed: '-1' }, 'seed'],
    [{ ...blank, name: 'M', seed: '1.5' }, 'seed'],
  ])('points at the field to fix: %j', (fields, field) => {
    expect(() => readCharacterForm(fields)).toThrow(FormProblem);
    try {
      readCharacterForm(fields);
    } catch (error) {
      expect((error as FormProblem).field).toBe(field);
    }
  });
});

describe('playground example tabs', async () => {
  const operations = await readFile(new URL('../../operations/charsheet.graphql', import.meta.url), 'utf8');
  const schema = buildSchema(await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8'));

  it('gives one valid tab per operation, each carrying the fragments it needs', () => {
    const tabs = exampleTabs(operations, null);
    const operationCount = parse(operations).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
    expect(tabs).toHaveLength(operationCount);
    for (const tab of tabs) expect(validate(schema, parse(tab.query))).toEqual([]);
  });

  it("opens on the progress subscription with the character's id when given one", () => {
    const [first] = exampleTabs(operations, 'abc123');
    expect(first?.query).toMatch(/^subscription EmbeddingProgress/);
    expect(JSON.parse(first?.variables ?? '{}')).toEqual({ characterId: 'abc123' });
  });
});
