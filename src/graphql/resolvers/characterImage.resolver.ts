// New images of a character: a thin mutation and subscription over pipeline/generateCharacterImage and
// pipeline/characterImageStream.
import { Arg, Ctx, ID, Int, Mutation, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { CharacterImageRecord } from '../../models/characterImage.js';
import { openCharacterImageStream } from '../../pipeline/characterImageStream.js';
import { type CharacterImageView, characterImageView } from '../../pipeline/characterView.js';
import type { CharacterImageEvent as ImageEvent } from '../../ports.js';
import type { GraphQLContext } from '../context.js';
import { toGraphQLError } from '../errors.js';
import { CharacterImageEvent } from '../types/characterImageEvent.type.js';

// `subscribe` runs outside TypeGraphQL's middlewares, so it maps domain errors itself.
async function subscribeToImage({ args, context }: SubscribeResolverData<unknown, { characterId: string; imageId: string }, GraphQLContext>) {
  try {
    return await openCharacterImageStream(context.services, context.viewer, args.characterId, args.imageId);
  } catch (error) {
    throw toGraphQLError(error);
  }
}

@Resolver()
export class CharacterImageResolver {
  @Mutation(() => CharacterImageRecord, {
    description:
      "Asks for a new image of the character in the setting, pose or action the prompt describes, conditioned on its avatar where the backend supports it. Answers at once with the pending image; follow it with characterImageProgress, or read Character.generatedImages",
  })
  async generateCharacterImage(
    @Arg('characterId', () => ID) characterId: string,
    @Arg('prompt', { description: 'What to show, e.g. "sitting on a beach at night"; 1–500 characters' }) prompt: string,
    @Arg('style', () => String, { nullable: true, description: "Overrides the character's style for this image" }) style: string | null,
    @Arg('seed', () => Int, { nullable: true, description: '0 to 2147483647; random when omitted' }) seed: number | null,
    @Ctx() { services, viewer }: GraphQLContext,
  ): Promise<CharacterImageView> {
    return characterImageView(await services.generateCharacterImage(viewer, { characterId, prompt, style, seed }), services.urls);
  }

  @Subscription(() => CharacterImageEvent, {
    subscribe: subscribeToImage,
    description: 'The image as it stands now (replayed: true; so a late subscriber still gets the result), then each change until it is completed or failed',
  })
  characterImageProgress(
    @Arg('characterId', () => ID) _characterId: string,
    @Arg('imageId', () => ID) _imageId: string,
    @Root() event: ImageEvent,
    @Ctx() { services }: GraphQLContext,
  ): CharacterImageEvent {
    return { characterId: event.characterId, image: characterImageView(event.image, services.urls), replayed: event.replayed ?? false };
  }
}
