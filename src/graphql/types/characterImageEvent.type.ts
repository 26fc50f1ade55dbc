import { Field, ID, ObjectType } from 'type-graphql';
import { CharacterImageRecord } from '../../models/characterImage.js';

@ObjectType({ description: 'A generated image as it stands after a change: first as the record has it, then each change until it is completed or failed' })
export class CharacterImageEvent {
  @Field(() => ID)
  characterId!: string;

  @Field(() => CharacterImageRecord)
  image!: CharacterImageRecord;

  @Field({ description: 'Read from the record when the subscription started, not a live change' })
  replayed!: boolean;
}
