// Thin resolvers for controlling a character's reference set: regenerate one slot, retry failed slots, cancel.
import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { VariationType } from '../../domain/variations.js';
import { Character, VariationTypeEnum } from '../../models/character.js';
import { type CharacterView, characterView } from '../../pipeline/characterView.js';
import type { GraphQLContext } from '../context.js';

@Resolver(() => Character)
export class ReferenceSetResolver {
  @Mutation(() => Character, {
    description: "A new image for one slot, with the given seed or a new one; the slot's image stays until the new one is stored, and a finished set reopens and ends with 'done' again",
  })
  async regenerateVariation(
    @Arg('characterId', () => ID) characterId: string,
    @Arg('variation', () => VariationTypeEnum) variation: VariationType,
    @Arg('seed', () => Int, { nullable: true }) seed: number | null,
    @Ctx() { services, viewer }: GraphQLContext,
  ): Promise<CharacterView> {
    return characterView(await services.regenerateVariation(viewer, characterId, variation, seed), services.urls);
  }

  @Mutation(() => Character, { description: "Tries every failed (or cancelled) variation again with a fresh attempt budget; the set reopens and ends with 'done' again" })
  async retryFailedVariations(@Arg('characterId', () => ID) characterId: string, @Ctx() { services, viewer }: GraphQLContext): Promise<CharacterView> {
    return characterView(await services.retryFailedVariations(viewer, characterId), services.urls);
  }

  @Mutation(() => Character, { description: "Stops the set: no new backend requests, in-flight ones cancelled where the backend can; stored images are kept and the set ends 'cancelled'" })
  async cancelReferenceSet(@Arg('characterId', () => ID) characterId: string, @Ctx() { services, viewer }: GraphQLContext): Promise<CharacterView> {
    return characterView(await services.cancelReferenceSet(viewer, characterId), services.urls);
  }
}
