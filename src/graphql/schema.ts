import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub, UseMiddleware } from 'type-graphql';
import type { ProgressBus, ProgressEvent } from '../ports.js';
import { mapDomainErrors } from './errors.js';
import { CharacterImageResolver } from './resolvers/characterImage.resolver.js';
import { CharacterResolver } from './resolvers/character.resolver.js';
import { IdentityResolver } from './resolvers/identity.resolver.js';
import { ReferenceSetResolver } from './resolvers/referenceSet.resolver.js';
import { TrainingSetResolver } from './resolvers/trainingSet.resolver.js';

const RESOLVERS = [CharacterResolver, ReferenceSetResolver, TrainingSetResolver, IdentityResolver, CharacterImageResolver] as const;

// Domain errors are mapped on the resolvers' own fields (queries, mutations, subscriptions), where they are
// thrown. As a global middleware it also wrapped every plain data field in an async call: a full character
// (ten variations) answered through ~300 promises, about 2 ms of each createCharacter.
for (const resolver of RESOLVERS) UseMiddleware(mapDomainErrors)(resolver);

/**
 * TypeGraphQL insists on a PubSub whenever a schema has subscriptions, even when every subscription brings
 * its own `subscribe` (ours do, to authorise and to end after 'done'). Topics are character ids.
 */
function pubSubOver(progress: ProgressBus): PubSub {
  return {
    publish: (_characterId: string, event: unknown) => void progress.publish(event as ProgressEvent),
    subscribe: (characterId: string) => progress.subscribe(characterId),
  };
}

export async function buildGraphQLSchema(progress: ProgressBus): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    pubSub: pubSubOver(progress),
    // Inputs are validated by pipeline/characterInput.ts with domain messages, not by class-validator.
    validate: false,
  });
}
