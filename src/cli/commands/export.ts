// `charsheet export <id> --format kohya --out set.zip`: asks the service for a LoRA training set and downloads
// the zip (written whole or not at all: see writeWhole).
import { Option } from 'commander';
import { ExportTrainingSetDocument, type TrainingSetFormat } from '../../generated/graphql/graphql.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { writeWhole } from '../files.js';

/** The trainers' own names on the command line, the API's enum values behind them. */
const FORMATS: Record<string, TrainingSetFormat> = { kohya: 'KOHYA', 'ai-toolkit': 'AI_TOOLKIT', diffusers: 'DIFFUSERS' };

export const exportCommand: CliCommand = {
  register(program, run) {
    program
      .command('export')
      .description("Export the character's completed images as a LoRA training set and download the zip")
      .argument('<id>', 'character id')
      .addOption(new Option('--format <format>', 'dataset layout of the trainer').choices(Object.keys(FORMATS)).makeOptionMandatory())
      .requiredOption('--out <file.zip>', 'where to write the zip')
      .option('--trigger <word>', 'trigger word the captions bind the character to (default: derived from the name)')
      .action((id: string, options: { format: string; out: string; trigger?: string }, command) =>
        run(command, async ({ client, output }) => {
          const format = FORMATS[options.format] as TrainingSetFormat;
          const { exportTrainingSet: made } = await client().request(ExportTrainingSetDocument, { characterId: id, format, triggerWord: options.trigger ?? null });
          const zip = await client().download(made.url);
          await writeWhole(options.out, zip);
          const excluded = made.excluded.map((item) => ({ variation: item.variation, reason: item.reason }));
          const left = excluded.length > 0 ? `; left out: ${excluded.map((item) => `${item.variation} (${item.reason})`).join(', ')}` : '';
          output.result(
            { event: 'export', characterId: id, format: options.format, triggerWord: made.triggerWord, file: options.out, bytes: zip.byteLength, imageCount: made.imageCount, excluded },
            `wrote ${options.out}: ${made.imageCount} images for ${options.format}, trigger word "${made.triggerWord}", ${zip.byteLength} bytes${left}`,
          );
          return EXIT.ok;
        }),
      );
  },
};
