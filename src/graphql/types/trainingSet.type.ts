import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { VariationType } from '../../domain/variations.js';
import { TRAINING_SET_FORMATS, type TrainingSetFormat } from '../../exports/index.js';
import { VariationTypeEnum } from '../../models/character.js';

export const TrainingSetFormatEnum = Object.fromEntries(TRAINING_SET_FORMATS.map((format) => [format, format])) as { [K in TrainingSetFormat]: K };
registerEnumType(TrainingSetFormatEnum, {
  name: 'TrainingSetFormat',
  description: 'A LoRA trainer whose dataset layout an export follows',
  valuesConfig: {
    KOHYA: { description: 'kohya-ss/sd-scripts: img/{repeats}_{trigger} {class}/ with .txt captions, plus dataset.toml' },
    AI_TOOLKIT: { description: 'ostris/ai-toolkit: datasets/{trigger}/ with .txt captions using [trigger], plus config/{trigger}.yaml' },
    DIFFUSERS: { description: "diffusers' ImageFolder: train/ with the images and metadata.jsonl (file_name, text)" },
  },
});

@ObjectType('ExcludedVariation', { description: 'A reference image left out of a training set, and why' })
export class ExcludedVariationResult {
  @Field(() => VariationTypeEnum)
  variation!: VariationType;

  @Field({ description: 'Why it is not in the set, e.g. the generation error' })
  reason!: string;
}

@ObjectType('TrainingSetExport', { description: "A zip of the character's completed reference images laid out for one LoRA trainer, with captions and a README.txt" })
export class TrainingSetExportResult {
  @Field(() => TrainingSetFormatEnum)
  format!: TrainingSetFormat;

  @Field({ description: 'The token the captions bind the character to: the given one, or one derived from the name' })
  triggerWord!: string;

  @Field({ description: "What kind of thing the character is, after the trigger word in captions: a 'class' or 'gender' trait, else 'character'" })
  classWord!: string;

  @Field({ description: "Where the zip downloads from; local files need the owner's credentials, like images" })
  url!: string;

  @Field(() => Int, { description: 'Size of the zip in bytes' })
  bytes!: number;

  @Field(() => Int, { description: 'Images in the set: the completed variations' })
  imageCount!: number;

  @Field(() => [ExcludedVariationResult], { description: 'Variations left out (failed or not generated yet), with the reason' })
  excluded!: ExcludedVariationResult[];

  @Field(() => Date, { description: 'When this export was made' })
  createdAt!: Date;
}
