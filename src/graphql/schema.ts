import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import type { ProgressBus, ProgressEvent } from '../ports.js';
import { mapDomainErrors } from './errors.js';
import { CharacterImageResolver } from './resolvers/characterImage.resolver.js';
import { CharacterResolver } from './resolvers/character.resolver.js';
import { IdentityResolver } from './resolvers/identity.resolver.js';
import { ReferenceSetResolver } from './resolvers/referenceSet.resolver.js';
import { TrainingSetResolver } from './resolvers/trainingSet.resolver.js';

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
    resolvers: [CharacterResolver, ReferenceSetResolver, TrainingSetResolver, IdentityResolver, CharacterImageResolver],
    globalMiddlewares: [mapDomainErrors],
    pubSub: pubSubOver(progress),
    // Inputs are validated by pipeline/characterInput.ts with domain messages, not by class-validator.
    validate: false,
  });
}
