import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IdentityScore, SetConsistency, VariationTypeEnum } from '../../models/character.js';
import type { IdentityScore as Score, SetConsistencyState } from '../../domain/character.js';
import type { VariationType } from '../../domain/variations.js';
import type { ProgressEventKind } from '../../ports.js';

const ProgressEventKindEnum = { variation: 'variation', reopened: 'reopened', done: 'done', deleted: 'deleted' } as const satisfies Record<ProgressEventKind, ProgressEventKind>;
registerEnumType(ProgressEventKindEnum, {
  name: 'ProgressEventKind',
  description: "'variation' per finished or failed image; 'reopened' when regenerate or retry gives the set new work; 'done' when the set ends; 'deleted' when the character is deleted",
});

@ObjectType({ description: 'One step of a reference set: a variation finished or failed, the set reopened, ended, or was deleted' })
export class EmbeddingProgressEvent {
  @Field(() => ID)
  characterId!: string;

  @Field(() => Int, { description: "The set's event number: consecutive, so a client can tell a gap or a duplicate" })
  sequence!: number;

  @Field(() => ProgressEventKindEnum)
  kind!: ProgressEventKind;

  @Field(() => VariationTypeEnum, { nullable: true })
  variation?: VariationType;

  @Field({ description: "For a variation: completed or failed. For done: the set's final status (completed, failed, cancelled)" })
  status!: string;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => String, { nullable: true })
  error?: string;

  @Field({ description: 'The image replaced an earlier one of the same slot (a regeneration)' })
  replaced!: boolean;

  @Field({ description: 'Delivered from the record because it happened before the subscription started' })
  replayed!: boolean;

  @Field(() => IdentityScore, { nullable: true, description: "A completed variation's identity score (IDENTITY=on); the final scores are in embeddingStatus once the set is done" })
  identity?: Score;

  @Field(() => SetConsistency, { nullable: true, description: "On 'done': the set's identity consistency (IDENTITY=on)" })
  consistency?: SetConsistencyState;

  @Field(() => Int)
  completed!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int)
  total!: number;
}
