import { Field, InputType, Int } from 'type-graphql';

@InputType({ description: 'One descriptive trait; keys such as hair, eyes, skin, outfit steer every image' })
export class TraitInput {
  @Field()
  key!: string;

  @Field()
  value!: string;
}

@InputType({ description: 'Limits: name ≤ 100 characters, description ≤ 2000, style ≤ 60, ≤ 20 traits' })
export class CreateCharacterInput {
  @Field({ description: 'Display name, kept as given (no path separators, control or invisible characters)' })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [TraitInput], { nullable: true })
  traits?: TraitInput[] | null;

  @Field(() => String, { nullable: true, description: "Art style; defaults to 'digital illustration'" })
  style?: string | null;

  @Field(() => Int, { nullable: true, description: 'Base seed (0..2147483637); random when omitted' })
  seed?: number | null;
}
