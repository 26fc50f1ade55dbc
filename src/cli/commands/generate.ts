// `charsheet generate <id> "prompt"`: asks for a new image of the character and follows it until it is stored
// or has failed; --out downloads it. The exit code says which (0 stored, 1 failed or refused).
import { InvalidArgumentError } from 'commander';
import { CharacterImageProgressDocument, GenerateCharacterImageDocument } from '../../generated/graphql/graphql.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { writeWhole } from '../files.js';

const FINISHED = new Set(['completed', 'failed']);

function seedArgument(value: string): number {
  const seed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(seed)) throw new InvalidArgumentError('a seed is a whole number from 0');
  return seed;
}

export const generateCommand: CliCommand = {
  register(program, run) {
    program
      .command('generate')
      .description('Make a new image of the character from a prompt, conditioned on its references, and wait for it')
      .argument('<id>', 'character id')
      .argument('<prompt>', 'what the image shows, e.g. "sitting on a beach at sunset"')
      .option('--style <style>', 'style words for this image (default: the character\'s own)')
      .option('--seed <n>', 'seed, for a repeatable image', seedArgument)
      .option('--out <file.png>', 'download the stored image to this file')
      .option('--no-wait', 'answer with the pending image at once instead of following it')
      .action((id: string, prompt: string, options: { style?: string; seed?: number; out?: string; wait: boolean }, command) =>
        run(command, async ({ client, output }) => {
          const { generateCharacterImage: asked } = await client().request(GenerateCharacterImageDocument, { characterId: id, prompt, style: options.style ?? null, seed: options.seed ?? null });
          output.event({ event: 'image-requested', characterId: id, imageId: asked.id, seed: asked.seed, status: asked.status });
          if (!options.wait) {
            output.result({ event: 'image', characterId: id, imageId: asked.id, status: asked.status, seed: asked.seed }, `${asked.id}: ${asked.status} (seed ${asked.seed})`);
            return EXIT.ok;
          }
          let image = asked;
          // The stream replays the image as the record has it first, so nothing that happened meanwhile is missed.
          for await (const { characterImageProgress } of client().subscribe(CharacterImageProgressDocument, { characterId: id, imageId: asked.id })) {
            image = characterImageProgress.image;
            if (FINISHED.has(image.status)) break;
          }
          if (image.status !== 'completed' || !image.url) {
            output.problem({ event: 'image-failed', characterId: id, imageId: image.id, error: image.error }, `${image.id}: failed: ${image.error ?? image.status}`);
            return EXIT.failed;
          }
          if (options.out) await writeWhole(options.out, await client().download(image.url));
          output.result(
            { event: 'image', characterId: id, imageId: image.id, status: image.status, seed: image.seed, url: image.url, ...(options.out ? { file: options.out } : {}) },
            `${image.id}: completed (seed ${image.seed}): ${options.out ? `wrote ${options.out}` : image.url}`,
          );
          return EXIT.ok;
        }),
      );
  },
};
