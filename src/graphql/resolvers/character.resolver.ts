// Thin resolvers: each one authorises through the caller's viewer and delegates to pipeline/; records become
// client views (URLs derived from stored keys) on the way out.
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { Character } from '../../models/character.js';
import { findVisibleCharacter, listVisibleCharacters } from '../../pipeline/characterAccess.js';
import { type CharacterView, characterView, progressEventView } from '../../pipeline/characterView.js';
import { embeddingStatusOf } from '../../pipeline/embeddingStatus.js';
import { openProgressStream } from '../../pipeline/progressStream.js';
import type { ProgressEvent } from '../../ports.js';
import type { GraphQLContext } from '../context.js';
import { MAX_BATCH_SIZE } from '../../pipeline/createCharacters.js';
import { clientErrorFields, toGraphQLError } from '../errors.js';
import { CreateCharacterInput } from '../types/createCharacter.input.js';
import { type CharacterCreatedResult, type CharacterCreationFailedResult, CharacterCreationOutcome } from '../types/createCharacters.type.js';
import { EmbeddingProgressEvent } from '../types/embeddingProgress.type.js';
import { EmbeddingStatusResult } from '../types/embeddingStatus.type.js';

// `subscribe` runs outside TypeGraphQL's middlewares, so it maps domain errors itself.
async function subscribeToProgress({ args, context }: SubscribeResolverData<unknown, { characterId: string; after?: number | null }, GraphQLContext>) {
  try {
    return await openProgressStream(context.services, context.viewer, args.characterId, args.after ?? 0);
  } catch (error) {
    throw toGraphQLError(error);
  }
}

@Resolver(() => Character)
export class CharacterResolver {
  @Mutation(() => Character, { description: 'Generates the avatar, saves the character and starts its reference set in the background' })
  async createCharacter(@Arg('input', () => CreateCharacterInput) input: CreateCharacterInput, @Ctx() { services, viewer }: GraphQLContext): Promise<CharacterView> {
    return characterView(await services.createCharacter(viewer.username, input), services.urls);
  }

  @Mutation(() => [CharacterCreationOutcome], {
    description: `Creates up to ${MAX_BATCH_SIZE} characters, each as createCharacter would (per-user limits included): one outcome per input, in input order. An input that is refused or fails affects only itself; an empty or oversized list answers BAD_USER_INPUT`,
  })
  async createCharacters(
    @Arg('inputs', () => [CreateCharacterInput]) inputs: CreateCharacterInput[],
    @Ctx() { services, viewer }: GraphQLContext,
  ): Promise<Array<CharacterCreatedResult | CharacterCreationFailedResult>> {
    const outcomes = await services.createCharacters(viewer.username, inputs);
    return outcomes.map((outcome) =>
      'character' in outcome ? { index: outcome.index, character: characterView(outcome.character, services.urls) } : { index: outcome.index, ...clientErrorFields(outcome.error) },
    );
  }

  @Mutation(() => Boolean, {
    description: "Deletes the character and every stored object under its folder (avatar, images, metadata), stopping its set's work in any process. True once done; an id that no longer exists answers NOT_FOUND",
  })
  async deleteCharacter(@Arg('id', () => ID) id: string, @Ctx() { services, viewer }: GraphQLContext): Promise<boolean> {
    return services.deleteCharacter(viewer, id);
  }

  @Query(() => Character)
  async character(@Arg('id', () => ID) id: string, @Ctx() { services, viewer }: GraphQLContext): Promise<CharacterView> {
    return characterView(await findVisibleCharacter(services.characters, viewer, id), services.urls);
  }

  @Query(() => [Character], { description: "The caller's characters, newest first" })
  async characters(
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Arg('offset', () => Int, { defaultValue: 0, description: 'How many of the newest to skip: the next page starts at offset + limit' }) offset: number,
    @Ctx() { services, viewer }: GraphQLContext,
  ): Promise<CharacterView[]> {
    return (await listVisibleCharacters(services.characters, viewer, limit, offset)).map((record) => characterView(record, services.urls));
  }

  @Query(() => EmbeddingStatusResult, { description: "The reference set's status, with each image and any write still being retried" })
  async embeddingStatus(@Arg('characterId', () => ID) characterId: string, @Ctx() { services, viewer }: GraphQLContext): Promise<EmbeddingStatusResult> {
    return embeddingStatusOf(characterView(await findVisibleCharacter(services.characters, viewer, characterId), services.urls));
  }

  @Subscription(() => EmbeddingProgressEvent, {
    subscribe: subscribeToProgress,
    description:
      "First what has already happened (one event per finished or failed variation, in order, then 'done' if the set has ended), then live events until 'done' or 'deleted'. Every event carries the set's sequence number; pass the last one you have as `after` to receive only what came since",
  })
  embeddingProgress(
    @Arg('characterId', () => ID) _characterId: string,
    @Arg('after', () => Int, { nullable: true, description: 'Skip events up to this sequence number (a reconnecting client)' }) _after: number | null,
    @Root() event: ProgressEvent,
    @Ctx() { services }: GraphQLContext,
  ): EmbeddingProgressEvent {
    return progressEventView(event, services.urls);
  }
}
