// The fields every generated image shares, a reference set's slot (VariationRecord) or a new image of the
// character (CharacterImage): its attempts and what was stored. Both GraphQL types and both stored shapes
// inherit them, so the two cannot drift apart.
import { modelOptions, prop } from '@typegoose/typegoose';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType()
@modelOptions({ schemaOptions: { _id: false } })
export abstract class ImageGenerationFields {
  @Field(() => Int, { description: 'Requests sent to the backend for the latest generation, the first included' })
  @prop({ required: true, default: 0 })
  attempts!: number;

  @Field(() => Int, { description: 'Of those, the ones the backend answered with a failure (limited by VARIATION_MAX_ATTEMPTS)' })
  @prop({ required: true, default: 0 })
  failures!: number;

  @Field(() => String, { nullable: true, description: 'Where the image is, derived from its storage key when read' })
  url?: string | null;

  /** Object-store key and version of the image shown; the URL is derived from them. */
  @prop({ type: String })
  key?: string;

  @prop({ type: String })
  version?: string;

  @Field(() => Int, { nullable: true, description: 'Stored size in bytes' })
  @prop({ type: Number })
  bytes?: number;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed' })
  @prop({ type: String })
  error?: string;

  @Field(() => Date, { nullable: true })
  @prop({ type: Date })
  startedAt?: Date;

  @Field(() => Date, { nullable: true })
  @prop({ type: Date })
  completedAt?: Date;

  @Field(() => Int, { nullable: true })
  @prop({ type: Number })
  width?: number;

  @Field(() => Int, { nullable: true })
  @prop({ type: Number })
  height?: number;

  @Field(() => Int, { nullable: true, description: 'Time spent generating the stored image, in milliseconds' })
  @prop({ type: Number })
  generationMs?: number;
}
