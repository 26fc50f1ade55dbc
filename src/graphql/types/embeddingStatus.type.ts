import { Field, ID, Int, ObjectType } from 'type-graphql';
import { EmbeddingStatusEnum, type EmbeddingStatus, PendingWrite, SetConsistency, VariationRecord } from '../../models/character.js';

@ObjectType({ description: "A reference set's status: the seed system's fields plus per-image detail" })
export class EmbeddingStatusResult {
  @Field(() => ID)
  characterId!: string;

  @Field()
  success!: boolean;

  @Field(() => EmbeddingStatusEnum)
  status!: EmbeddingStatus;

  @Field(() => Int)
  totalImages!: number;

  @Field(() => Int, { description: 'Images stored (the same as totalImages)' })
  completed!: number;

  @Field(() => Int, { description: 'Images that failed for good; a completed set may have some (completed with failures)' })
  failed!: number;

  @Field(() => Date, { nullable: true })
  generationStartedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  generationCompletedAt!: Date | null;

  @Field(() => [String])
  cloudinaryUrls!: string[];

  @Field(() => String, { nullable: true })
  metadataUrl!: string | null;

  @Field()
  message!: string;

  @Field(() => [VariationRecord], { description: 'The 10 variations in catalog order' })
  images!: VariationRecord[];

  @Field(() => [PendingWrite], { description: 'Writes being retried after a storage failure: what waits and why' })
  pendingWrites!: PendingWrite[];

  @Field(() => SetConsistency, { nullable: true, description: "The set's identity consistency (IDENTITY=on), as of the end of its last run" })
  consistency!: SetConsistency | null;

  @Field(() => Int, { description: "The set's last event number (embeddingProgress's `after` for what comes next)" })
  sequence!: number;
}
