// The character document: one class is both the typegoose model and the GraphQL object type (the
// TypeGraphQL + typegoose practice), so the stored shape and the API shape cannot drift apart. Fields with
// @prop are stored; fields with only @Field (URLs) are derived from stored keys when a record is read
// (pipeline/characterView.ts), so moving the service or its domain breaks no link.
import { getModelForClass, index, modelOptions, prop, Severity } from '@typegoose/typegoose';
import { Types } from 'mongoose';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EMBEDDING_STATUSES, VARIATION_STATUSES, type EmbeddingStatus, type VariationStatus } from '../domain/statuses.js';
import { VARIATION_TYPES, type VariationType } from '../domain/variations.js';
import { CharacterImageRecord } from './characterImage.js';
import { ImageGenerationFields } from './imageGeneration.js';

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

@ObjectType({ description: 'A new image asked for a slot that shows one; the old image stays until the new one is stored' })
@modelOptions({ schemaOptions: { _id: false } })
export class Replacement {
  @Field(() => Int)
  @prop({ required: true })
  seed!: number;

  @Field(() => Date)
  @prop({ required: true })
  requestedAt!: Date;
}

@ObjectType({ description: 'An image of a slot the identity check did not keep' })
@modelOptions({ schemaOptions: { _id: false } })
export class RejectedImage {
  @Field(() => Int)
  @prop({ required: true })
  seed!: number;

  @Field(() => Float, { nullable: true, description: 'Its identity similarity; null when it showed no face' })
  @prop({ type: Number })
  similarity!: number | null;
}

@ObjectType({ description: "How well an image shows the character: its face compared with the avatar's and the rest of the set's" })
@modelOptions({ schemaOptions: { _id: false } })
export class IdentityScore {
  @Field({ description: 'False when the image has no face the encoder can describe (a profile, a cut-off face) or the encoder could not run: see reason' })
  @prop({ required: true })
  judged!: boolean;

  @Field()
  @prop({ required: true })
  faceFound!: boolean;

  @Field(() => Float, { nullable: true, description: 'Mean cosine similarity to the avatar and to the centroid of the other images (0..1); below IDENTITY_MIN_SIMILARITY it shows someone else' })
  @prop({ type: Number })
  similarity?: number;

  @Field(() => Float, { nullable: true })
  @prop({ type: Number })
  toAvatar?: number;

  @Field(() => Float, { nullable: true })
  @prop({ type: Number })
  toSet?: number;

  @Field(() => Boolean, { nullable: true, description: 'Judged and at or above the threshold' })
  @prop({ type: Boolean })
  consistent?: boolean;

  @Field(() => String, { nullable: true, description: 'Why it was not judged' })
  @prop({ type: String })
  reason?: string;

  @Field(() => Int, { description: 'New seeds tried because the image drifted from the character' })
  @prop({ required: true, default: 0 })
  regenerations!: number;

  @Field(() => [RejectedImage], { description: 'Images of this slot that were not kept (seed and score)' })
  @prop({ type: () => [RejectedImage], default: [] })
  rejected!: RejectedImage[];

  /** The image scored (a score is valid while the slot shows it). */
  @prop({ required: true })
  key!: string;

  /** The face vector, little-endian Float32. */
  @prop({ type: Buffer })
  embedding?: Uint8Array;
}

@ObjectType({ description: "The set's identity consistency over its judged images" })
@modelOptions({ schemaOptions: { _id: false } })
export class SetConsistency {
  @Field(() => Int, { description: 'Images judged (with a face)' })
  @prop({ required: true })
  judged!: number;

  @Field(() => Float, { nullable: true })
  @prop({ type: Number })
  median!: number | null;

  @Field(() => Float, { nullable: true })
  @prop({ type: Number })
  min!: number | null;

  @Field(() => [VariationTypeEnum], { description: 'Judged images still below the threshold after the regenerations allowed' })
  @prop({ type: () => [String], default: [] })
  outliers!: VariationType[];

  @Field(() => Float, { description: 'IDENTITY_MIN_SIMILARITY the set was judged with' })
  @prop({ required: true })
  threshold!: number;

  @Field(() => String, { nullable: true, description: 'Why nothing was judged (the encoder could not run)' })
  @prop({ type: String })
  reason?: string;
}

@modelOptions({ schemaOptions: { _id: false } })
export class StoredFace {
  @prop({ required: true })
  faceFound!: boolean;

  @prop({ type: Buffer })
  embedding?: Uint8Array;

  @prop({ type: String })
  reason?: string;
}

/** The character's identity vector (avatar and set centroid) and the model that made it. */
@modelOptions({ schemaOptions: { _id: false } })
export class CharacterIdentity {
  @prop({ required: true })
  model!: string;

  @prop({ required: true, type: () => StoredFace })
  avatar!: StoredFace;

  @prop({ type: Buffer })
  vector?: Uint8Array;
}

@ObjectType({ description: 'One image of the reference set and how its generation went' })
@modelOptions({ schemaOptions: { _id: false } })
export class VariationRecord extends ImageGenerationFields {
  @Field(() => VariationTypeEnum)
  @prop({ required: true, type: String, enum: VARIATION_TYPES })
  type!: VariationType;

  @Field(() => Int, { description: 'Seed of the image shown (base seed + the variation offset, unless regenerated with another)' })
  @prop({ required: true })
  seed!: number;

  @Field()
  @prop({ required: true })
  prompt!: string;

  @Field(() => VariationStatusEnum)
  @prop({ required: true, type: String, enum: VARIATION_STATUSES, default: 'pending' })
  status!: VariationStatus;

  @Field(() => Int, { nullable: true, description: 'How many images this slot has stored (regenerations included)' })
  @prop({ type: Number })
  generation?: number;

  @Field(() => Replacement, { nullable: true, description: 'A regeneration under way; the image shown stays until it is stored' })
  @prop({ type: () => Replacement })
  replacement?: Replacement;

  @Field(() => Int, { nullable: true, description: "Sequence number of this slot's last embeddingProgress event" })
  @prop({ type: Number })
  sequence?: number;

  @Field(() => IdentityScore, { nullable: true, description: 'Identity score of the image shown; null until scored, or with IDENTITY=off' })
  @prop({ type: () => IdentityScore })
  identity?: IdentityScore;
}

@ObjectType({ description: 'A write that failed and is being retried (a storage outage): nothing is lost meanwhile' })
@modelOptions({ schemaOptions: { _id: false } })
export class PendingWrite {
  @Field({ description: "A variation type, or 'metadata.json'" })
  @prop({ required: true })
  what!: string;

  @Field({ description: 'Why the last try failed' })
  @prop({ required: true })
  error!: string;

  @Field(() => Date)
  @prop({ required: true })
  since!: Date;

  @Field(() => Int)
  @prop({ required: true })
  retries!: number;
}

/** The seed system's `embeddings.imageEmbeddings` fields (URLs derived when read), plus the set's bookkeeping. */
@ObjectType()
@modelOptions({ schemaOptions: { _id: false } })
export class ImageEmbeddings {
  @Field(() => String, { nullable: true, description: 'URL of the metadata JSON describing every image' })
  metadataUrl?: string | null;

  @prop({ type: String })
  metadataKey?: string;

  @prop({ type: String })
  metadataVersion?: string;

  @prop({ type: Boolean })
  metadataPending?: boolean;

  @Field(() => Int)
  @prop({ required: true, default: 0 })
  totalImages!: number;

  @Field(() => [String], { description: 'URLs of the stored reference images (the name is kept from the seed system)' })
  cloudinaryUrls?: string[];

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

  @Field(() => Int, { description: 'Progress events published so far for this set (the last event carries this number)' })
  @prop({ required: true, default: 0 })
  sequence!: number;

  @prop({ type: Number })
  doneSequence?: number;

  @prop({ type: Number })
  reopenedSequence?: number;

  @prop({ required: true, default: 0 })
  workVersion!: number;

  @Field(() => [PendingWrite], { description: 'Writes being retried after a storage failure (empty when all is stored)' })
  @prop({ type: () => [PendingWrite], default: [] })
  pendingWrites!: PendingWrite[];

  @Field(() => SetConsistency, { nullable: true, description: "The set's identity consistency, as of the end of its last run; null with IDENTITY=off" })
  @prop({ type: () => SetConsistency })
  consistency?: SetConsistency;
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

/** A record going away: deleted by its owner, or never committed by createCharacter. */
@modelOptions({ schemaOptions: { _id: false } })
export class RemovalMark {
  @prop({ required: true, type: String, enum: ['deleted', 'uncommitted'] })
  reason!: 'deleted' | 'uncommitted';

  @prop({ required: true })
  requestedAt!: Date;

  @prop({ required: true })
  notBefore!: Date;
}

@ObjectType({ description: 'A character with its avatar and reference set' })
@modelOptions({ schemaOptions: { collection: 'characters', timestamps: true }, options: { allowMixed: Severity.ERROR } })
@index({ ownerUsername: 1, createdAt: -1 })
@index({ 'embeddings.imageEmbeddings.status': 1 })
// Every createCharacter counts the owner's unfinished sets (its queue rank, the per-user limit): through this
// index that reads those sets only, not every character the owner ever made.
@index({ ownerUsername: 1, 'embeddings.imageEmbeddings.status': 1 })
export class Character {
  readonly _id!: Types.ObjectId;

  @Field(() => ID)
  id!: string;

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

  @Field({ description: 'Where the avatar is, derived from its storage key when read' })
  avatarUrl!: string;

  @prop({ required: true })
  avatarKey!: string;

  @prop({ type: String })
  avatarVersion?: string;

  @Field(() => Embeddings)
  @prop({ required: true, type: () => Embeddings, default: () => ({}) })
  embeddings!: Embeddings;

  @Field(() => [VariationRecord], { description: 'The 10 reference images in catalog order' })
  @prop({ type: () => [VariationRecord], default: [] })
  variations!: VariationRecord[];

  @Field(() => [CharacterImageRecord], { description: 'New images made with generateCharacterImage, oldest first' })
  @prop({ type: () => [CharacterImageRecord], default: [] })
  generatedImages!: CharacterImageRecord[];

  @prop({ type: () => SetLease })
  lease?: SetLease;

  @prop({ type: () => RemovalMark })
  removal?: RemovalMark;

  @prop({ type: () => CharacterIdentity })
  identity?: CharacterIdentity;

  @Field(() => String, { nullable: true, description: 'The face model that scored the set (vectors of two models are not comparable)' })
  identityModel?: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

export const CharacterModel = getModelForClass(Character);
