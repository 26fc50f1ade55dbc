// A generated image of a character (generateCharacterImage), stored inside the character document and shown
// as the GraphQL type CharacterImage. The URL is derived from the stored key when read, as for variations,
// whose attempt and storage fields it shares (imageGeneration.ts).
import { modelOptions, prop } from '@typegoose/typegoose';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CHARACTER_IMAGE_STATUSES, type CharacterImageStatus } from '../domain/characterImages.js';
import { ImageGenerationFields } from './imageGeneration.js';

export const CharacterImageStatusEnum = Object.fromEntries(CHARACTER_IMAGE_STATUSES.map((status) => [status, status])) as { [K in CharacterImageStatus]: K };
registerEnumType(CharacterImageStatusEnum, { name: 'CharacterImageStatus', description: 'Where a generated image stands' });

@modelOptions({ schemaOptions: { _id: false } })
export class CharacterImageLease {
  @prop({ required: true })
  owner!: string;

  @prop({ required: true })
  expiresAt!: Date;
}

@ObjectType('CharacterImage', { description: 'A new image of the character from a prompt (generateCharacterImage), conditioned on its avatar' })
@modelOptions({ schemaOptions: { _id: false } })
export class CharacterImageRecord extends ImageGenerationFields {
  @Field(() => ID, { description: 'Unique within the character' })
  @prop({ required: true })
  id!: string;

  @Field({ description: 'What was asked for, as given (trimmed)' })
  @prop({ required: true })
  prompt!: string;

  @Field({ description: "The style it was drawn in (the character's own unless another was asked for)" })
  @prop({ required: true })
  style!: string;

  @Field(() => Int)
  @prop({ required: true })
  seed!: number;

  @Field(() => CharacterImageStatusEnum)
  @prop({ required: true, type: String, enum: CHARACTER_IMAGE_STATUSES, default: 'pending' })
  status!: CharacterImageStatus;

  @Field(() => Date)
  @prop({ required: true })
  requestedAt!: Date;

  @prop({ type: () => CharacterImageLease })
  lease?: CharacterImageLease;
}
