// Thin resolver for checking any image against a character's identity.
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { IdentityComparison as Comparison } from '../../pipeline/compareToCharacter.js';
import type { GraphQLContext } from '../context.js';
import { IdentityComparison } from '../types/identityComparison.type.js';

@Resolver()
export class IdentityResolver {
  @Query(() => IdentityComparison, {
    description: 'Compares the face in an image (base64 PNG, JPEG or WebP) with the character. BAD_USER_INPUT for bytes that are not such an image or are too large; IDENTITY_UNAVAILABLE when the encoder cannot run or IDENTITY=off',
  })
  async compareToCharacter(@Arg('characterId', () => ID) characterId: string, @Arg('imageBase64') imageBase64: string, @Ctx() { services, viewer }: GraphQLContext): Promise<Comparison> {
    return services.compareToCharacter(viewer, characterId, imageBase64);
  }
}
