// A generated image of a character (generateCharacterImage), stored inside the character document and shown
// as the GraphQL type CharacterImage. The URL is derived from the stored key when read, as for variations.
import { modelOptions, prop } from '@typegoose/typegoose';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CHARACTER_IMAGE_STATUSES, type CharacterImageStatus } from '../domain/characterImages.js';

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
export class CharacterImageRecord {
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

  @Field(() => Int, { description: 'Requests sent to the backend, the first included' })
  @prop({ required: true, default: 0 })
  attempts!: number;

  @Field(() => Int, { description: 'Of those, the ones the backend answered with a failure (limited by VARIATION_MAX_ATTEMPTS)' })
  @prop({ required: true, default: 0 })
  failures!: number;

  @Field(() => String, { nullable: true, description: 'Where the image is once completed, derived from its storage key when read' })
  url?: string | null;

  @prop({ type: String })
  key?: string;

  @prop({ type: String })
  version?: string;

  @Field(() => Int, { nullable: true })
  @prop({ type: Number })
  bytes?: number;

  @Field(() => Int, { nullable: true })
  @prop({ type: Number })
  width?: number;

  @Field(() => Int, { nullable: true })
  @prop({ type: Number })
  height?: number;

  @Field(() => Int, { nullable: true, description: 'Time spent generating the stored image, in milliseconds' })
  @prop({ type: Number })
  generationMs?: number;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed' })
  @prop({ type: String })
  error?: string;

  @Field(() => Date)
  @prop({ required: true })
  requestedAt!: Date;

  @Field(() => Date, { nullable: true })
  @prop({ type: Date })
  startedAt?: Date;

  @Field(() => Date, { nullable: true })
  @prop({ type: Date })
  completedAt?: Date;

  @prop({ type: () => CharacterImageLease })
  lease?: CharacterImageLease;
}
