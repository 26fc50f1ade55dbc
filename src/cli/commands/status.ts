// `charsheet status <id>`: where a character's reference set stands, image by image.
import { EmbeddingStatusDocument } from '../../generated/graphql/graphql.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';

export const statusCommand: CliCommand = {
  register(program, run) {
    program
      .command('status')
      .description("Show a character's reference set: its status and each image (exit 0 whenever the service answered)")
      .argument('<id>', 'character id')
      .action((id: string, _options, command) =>
        run(command, async ({ client, output }) => {
          const { embeddingStatus: set } = await client().request(EmbeddingStatusDocument, { characterId: id });
          const images = set.images.map((image) => ({ variation: image.type, status: image.status, url: image.url, error: image.error }));
          const lines = images.map((image) => `  ${image.variation.padEnd(22)} ${image.status.padEnd(10)} ${image.error ?? image.url ?? ''}`);
          output.result(
            { event: 'status', characterId: id, status: set.status, completed: set.completed, failed: set.failed, total: set.totalImages, metadataUrl: set.metadataUrl, images },
            [`${id}: ${set.status}, ${set.completed}/${set.totalImages} images completed, ${set.failed} failed`, ...lines].join('\n'),
          );
          return EXIT.ok;
        }),
      );
  },
};
