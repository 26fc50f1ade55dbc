// The character document: one class is both the typegoose model and the GraphQL object type (the
// TypeGraphQL + typegoose practice), so the stored shape and the API shape cannot drift apart.
import { getModelForClass, index, modelOptions, prop, Severity } from '@typegoose/typegoose';
import { Types } from 'mongoose';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EMBEDDING_STATUSES, VARIATION_STATUSES, type EmbeddingStatus, type VariationStatus } from '../domain/statuses.js';
import { VARIATION_TYPES, type VariationType } from '../domain/variations.js';

export type { EmbeddingStatus, VariationStatus };

const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };
export const EmbeddingStatusEnum = asEnum(EMBEDDING_STATUSES);
export const VariationStatusEnum = asEnum(VARIATION_STATUSES);
export const VariationTypeEnum = asEnum(VARIATION_TYPES);
registerEnumType(EmbeddingStatusEnum, { name: 'EmbeddingStatus', description: 'Where a reference set stands' });
registerEnumType(VariationStatusEnum, { name: 'VariationStatus', description: 'Where one reference image stands' });
registerEnumType(VariationTypeEnum, { name: 'VariationType', description: 'The 10 shots of a reference set, in generation order' });

@ObjectType({ description: 'One descriptive trait, e.g. hair = auburn' })
@modelOptions({ schemaOptions: { _id: false } })
export class Trait {
  @Field()
  @prop({ required: true })
  key!: string;

  @Field()
  @prop({ required: true })
  value!: string;
}

@ObjectType({ description: 'One image of the reference set and how its generation went' })
@modelOptions({ schemaOptions: { _id: false } })
export class VariationRecord {
  @Field(() => VariationTypeEnum)
  @prop({ required: true, type: String, enum: VARIATION_TYPES })
  type!: VariationType;

  @Field(() => Int, { description: 'Base seed + the variation offset (1..10)' })
  @prop({ required: true })
  seed!: number;

  @Field()
  @prop({ required: true })
  prompt!: string;

  @Field(() => VariationStatusEnum)
  @prop({ required: true, type: String, enum: VARIATION_STATUSES, default: 'pending' })
  status!: VariationStatus;

  @Field(() => Int, { description: 'Generation attempts so far, the first included' })
  @prop({ required: true, default: 0 })
  attempts!: number;

  @Field(() => String, { nullable: true })
  @prop({ type: String })
  url?: string;

  /** Object-store key; internal, the URL is what clients use. */
  @prop({ type: String })
  key?: string;

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

/** Exactly the seed system's `embeddings.imageEmbeddings` fields. */
@ObjectType()
@modelOptions({ schemaOptions: { _id: false } })
export class ImageEmbeddings {
  @Field(() => String, { nullable: true, description: 'URL of the metadata JSON describing every image' })
  @prop({ type: String })
  metadataUrl?: string;

  @Field(() => Int)
  @prop({ required: true, default: 0 })
  totalImages!: number;

  @Field(() => [String], { description: 'URLs of the stored reference images (the name is kept from the seed system)' })
  @prop({ type: () => [String], default: [] })
  cloudinaryUrls!: string[];

  @Field()
  @prop({ required: true, default: '1.0' })
  version!: string;

  @Field(() => EmbeddingStatusEnum)
  @prop({ required: true, type: String, enum: EMBEDDING_STATUSES, default: 'pending' })
  status!: EmbeddingStatus;

  @Field(() => Date, { nullable: true })
  @prop({ type: Date })
  generationStartedAt?: Date;

  @Field(() => Date, { nullable: true })
  @prop({ type: Date })
  generationCompletedAt?: Date;
}

@ObjectType()
@modelOptions({ schemaOptions: { _id: false } })
export class Embeddings {
  @Field(() => ImageEmbeddings)
  @prop({ required: true, type: () => ImageEmbeddings, default: () => ({}) })
  imageEmbeddings!: ImageEmbeddings;
}

/** Which worker holds a reference set, until when; lets several workers resume sets without doubling work. */
@modelOptions({ schemaOptions: { _id: false } })
export class SetLease {
  @prop({ required: true })
  owner!: string;

  @prop({ required: true })
  expiresAt!: Date;
}

@ObjectType({ description: 'A character with its avatar and reference set' })
@modelOptions({ schemaOptions: { collection: 'characters', timestamps: true }, options: { allowMixed: Severity.ERROR } })
@index({ ownerUsername: 1, createdAt: -1 })
@index({ 'embeddings.imageEmbeddings.status': 1 })
export class Character {
  @Field(() => ID, { name: 'id' })
  readonly _id!: Types.ObjectId;

  @Field({ description: 'The user the character belongs to' })
  @prop({ required: true })
  ownerUsername!: string;

  /** Storage folder of the owner: `characters/{ownerSlug}/…`. */
  @prop({ required: true })
  ownerSlug!: string;

  @Field({ description: 'Display name, kept as given' })
  @prop({ required: true })
  name!: string;

  @Field({ description: 'Storage folder name: a safe slug of the name plus a short id' })
  @prop({ required: true })
  slug!: string;

  // Not `required`: mongoose's required check refuses the empty string, and an empty description is valid.
  @Field()
  @prop({ type: String, default: '' })
  description!: string;

  @Field(() => [Trait])
  @prop({ type: () => [Trait], default: [] })
  traits!: Trait[];

  @Field()
  @prop({ required: true })
  style!: string;

  @Field(() => Int, { description: 'Seed of the avatar; variation n uses baseSeed + n' })
  @prop({ required: true })
  baseSeed!: number;

  @Field()
  @prop({ required: true })
  avatarUrl!: string;

  @prop({ required: true })
  avatarKey!: string;

  @Field(() => Embeddings)
  @prop({ required: true, type: () => Embeddings, default: () => ({}) })
  embeddings!: Embeddings;

  @Field(() => [VariationRecord], { description: 'The 10 reference images in catalog order' })
  @prop({ type: () => [VariationRecord], default: [] })
  variations!: VariationRecord[];

  @prop({ type: () => SetLease })
  lease?: SetLease;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

export const CharacterModel = getModelForClass(Character);
