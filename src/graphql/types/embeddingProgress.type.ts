import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { VariationTypeEnum } from '../../models/character.js';
import type { VariationType } from '../../domain/variations.js';
import type { ProgressEventKind } from '../../ports.js';

const ProgressEventKindEnum = { variation: 'variation', done: 'done' } as const satisfies Record<ProgressEventKind, ProgressEventKind>;
registerEnumType(ProgressEventKindEnum, { name: 'ProgressEventKind', description: "'variation' per finished or failed image, then one 'done'" });

@ObjectType({ description: 'One step of a reference set: a variation finished or failed, or the set is done' })
export class EmbeddingProgressEvent {
  @Field(() => ID)
  characterId!: string;

  @Field(() => ProgressEventKindEnum)
  kind!: ProgressEventKind;

  @Field(() => VariationTypeEnum, { nullable: true })
  variation?: VariationType;

  @Field({ description: "For a variation: completed or failed. For done: the set's final status" })
  status!: string;

  @Field(() => String, { nullable: true })
  url?: string;

  @Field(() => String, { nullable: true })
  error?: string;

  @Field(() => Int)
  completed!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int)
  total!: number;
}
