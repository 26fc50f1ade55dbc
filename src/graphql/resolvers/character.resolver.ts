// Thin resolvers: each one authorises through the caller's viewer and delegates to pipeline/.
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Character } from '../../models/character.js';
import { findVisibleCharacter, listVisibleCharacters } from '../../pipeline/characterAccess.js';
import { embeddingStatusOf } from '../../pipeline/embeddingStatus.js';
import { openProgressStream } from '../../pipeline/progressStream.js';
import type { ProgressEvent } from '../../ports.js';
import type { GraphQLContext } from '../context.js';
import { toGraphQLError } from '../errors.js';
import { CreateCharacterInput } from '../types/createCharacter.input.js';
import { EmbeddingProgressEvent } from '../types/embeddingProgress.type.js';
import { EmbeddingStatusResult } from '../types/embeddingStatus.type.js';

// `subscribe` runs outside TypeGraphQL's middlewares, so it maps domain errors itself.
async function subscribeToProgress({ args, context }: SubscribeResolverData<unknown, { characterId: string }, GraphQLContext>) {
  try {
    return await openProgressStream(context.services, context.viewer, args.characterId);
  } catch (error) {
    throw toGraphQLError(error);
  }
}

@Resolver(() => Character)
export class CharacterResolver {
  @Mutation(() => Character, { description: 'Generates the avatar, saves the character and starts its reference set in the background' })
  async createCharacter(@Arg('input', () => CreateCharacterInput) input: CreateCharacterInput, @Ctx() { services, viewer }: GraphQLContext): Promise<Character> {
    return services.createCharacter(viewer.username, input);
  }

  @Query(() => Character)
  async character(@Arg('id', () => ID) id: string, @Ctx() { services, viewer }: GraphQLContext): Promise<Character> {
    return findVisibleCharacter(services.characters, viewer, id);
  }

  @Query(() => [Character], { description: "The caller's characters, newest first" })
  async characters(@Arg('limit', () => Int, { defaultValue: 50 }) limit: number, @Ctx() { services, viewer }: GraphQLContext): Promise<Character[]> {
    return listVisibleCharacters(services.characters, viewer, limit);
  }

  @Query(() => EmbeddingStatusResult, { description: "The reference set's status; a late subscriber catches up with it" })
  async embeddingStatus(@Arg('characterId', () => ID) characterId: string, @Ctx() { services, viewer }: GraphQLContext): Promise<EmbeddingStatusResult> {
    return embeddingStatusOf(await findVisibleCharacter(services.characters, viewer, characterId));
  }

  @Subscription(() => EmbeddingProgressEvent, {
    subscribe: subscribeToProgress,
    description: "One event per finished or failed variation, then a 'done' event",
  })
  embeddingProgress(@Arg('characterId', () => ID) _characterId: string, @Root() event: ProgressEvent): EmbeddingProgressEvent {
    return event;
  }
}
