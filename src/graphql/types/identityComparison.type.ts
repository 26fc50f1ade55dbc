import { Field, Float, ObjectType } from 'type-graphql';

@ObjectType({ description: "Whether an image shows a character: its face against the character's identity vector (avatar and set centroid)" })
export class IdentityComparison {
  @Field({ description: 'Whether the image shows a face the encoder can describe; always true in an answer (an image without one is refused with BAD_USER_INPUT)' })
  faceFound!: boolean;

  @Field(() => Float, { nullable: true, description: "Cosine similarity to the character's identity vector (0..1); null without a face on either side" })
  similarity!: number | null;

  @Field({ description: 'similarity ≥ IDENTITY_MIN_SIMILARITY' })
  sameCharacter!: boolean;

  @Field(() => String, { nullable: true, description: 'Why there is no similarity' })
  reason!: string | null;

  @Field({ description: 'The face model that compared them' })
  model!: string;
}
