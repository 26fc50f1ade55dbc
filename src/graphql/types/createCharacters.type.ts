import { createUnionType, Field, Int, ObjectType } from 'type-graphql';
import { Character } from '../../models/character.js';
import type { CharacterView } from '../../pipeline/characterView.js';

@ObjectType('CharacterCreated', { description: 'An input of createCharacters that became a character' })
export class CharacterCreatedResult {
  @Field(() => Int, { description: "The input's position in `inputs`, from 0" })
  index!: number;

  @Field(() => Character)
  character!: CharacterView;
}

@ObjectType('CharacterCreationFailed', { description: 'An input of createCharacters that was refused or failed; the other inputs are not affected' })
export class CharacterCreationFailedResult {
  @Field(() => Int, { description: "The input's position in `inputs`, from 0" })
  index!: number;

  @Field({ description: 'The code createCharacter would have answered with: BAD_USER_INPUT, RATE_LIMITED, BACKEND_ERROR, BACKEND_TIMEOUT, INTERNAL_SERVER_ERROR' })
  code!: string;

  @Field()
  message!: string;

  @Field(() => String, { nullable: true, description: 'The input field at fault, for BAD_USER_INPUT' })
  field?: string | null;

  @Field(() => Int, { nullable: true, description: 'For RATE_LIMITED: seconds after which the same input may succeed' })
  retryAfterSeconds?: number | null;

  @Field(() => String, { nullable: true, description: "For RATE_LIMITED: which limit, 'charactersInGeneration' (a place frees when one of your sets ends) or 'charactersPerDay'" })
  limit?: string | null;
}

export const CharacterCreationOutcome = createUnionType({
  name: 'CharacterCreationOutcome',
  description: 'What became of one input of createCharacters',
  types: () => [CharacterCreatedResult, CharacterCreationFailedResult] as const,
  resolveType: (value) => ('character' in value ? CharacterCreatedResult : CharacterCreationFailedResult),
});
