// Turns operations/charsheet.graphql into one playground tab per operation, each carrying the fragments it
// uses, with variables ready to edit (the character's id when the page was opened from a sheet).
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

export interface ExampleTab {
  query: string;
  variables: string;
}

const PLACEHOLDER_ID = 'paste-a-character-id';

const EXAMPLE_INPUT = {
  name: 'Mira Vale',
  description: 'a wandering cartographer with ink-stained fingers',
  traits: [
    { key: 'hair', value: 'silver braid' },
    { key: 'eyes', value: 'green' },
  ],
  style: 'digital illustration',
  seed: 42,
};

function fragmentsUsedBy(node: DefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, found = new Set<string>()): Set<string> {
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      const fragment = fragments.get(name);
      if (found.has(name) || !fragment) return;
      found.add(name);
      fragmentsUsedBy(fragment, fragments, found);
    },
  });
  return found;
}

function exampleVariables(operation: OperationDefinitionNode, characterId: string): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (name === 'input') variables[name] = EXAMPLE_INPUT;
    else if (name === 'id' || name === 'characterId') variables[name] = characterId;
  }
  return variables;
}

/** Subscriptions first when a character is given: that is what the sheet's link is for. */
export function exampleTabs(operationsSource: string, characterId: string | null): ExampleTab[] {
  const document = parse(operationsSource);
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const tabs = operations.map((operation) => {
    const used = [...fragmentsUsedBy(operation, fragments)].map((name) => fragments.get(name)).filter((f) => f !== undefined);
    const query = [operation, ...used].map((definition) => print(definition)).join('\n\n');
    const variables = exampleVariables(operation, characterId ?? PLACEHOLDER_ID);
    return { operation: operation.operation, tab: { query, variables: JSON.stringify(variables, null, 2) } };
  });
  if (characterId) tabs.sort((a, b) => Number(b.operation === 'subscription') - Number(a.operation === 'subscription'));
  return tabs.map(({ tab }) => tab);
}
