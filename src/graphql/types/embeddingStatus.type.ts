import { Field, ID, Int, ObjectType } from 'type-graphql';
import { EmbeddingStatusEnum, type EmbeddingStatus, VariationRecord } from '../../models/character.js';

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
}
