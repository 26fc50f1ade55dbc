// Training-set export: a thin mutation over pipeline/exportTrainingSet.
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { TrainingSetFormat } from '../../exports/index.js';
import type { GraphQLContext } from '../context.js';
import { TrainingSetExportResult, TrainingSetFormatEnum } from '../types/trainingSet.type.js';

@Resolver()
export class TrainingSetResolver {
  @Mutation(() => TrainingSetExportResult, {
    description: "Zips the character's completed reference images with captions for a LoRA trainer and stores the zip under the character's exports/ folder (exporting again replaces it)",
  })
  async exportTrainingSet(
    @Arg('characterId', () => ID) characterId: string,
    @Arg('format', () => TrainingSetFormatEnum) format: TrainingSetFormat,
    @Arg('triggerWord', () => String, { nullable: true, description: 'Lowercase letters, digits and underscores, 2–40 characters; derived from the name when omitted (Mira Thorn → mira_thorn)' })
    triggerWord: string | null | undefined,
    @Ctx() { services, viewer }: GraphQLContext,
  ): Promise<TrainingSetExportResult> {
    return services.exportTrainingSet(viewer, { characterId, format, triggerWord });
  }
}
