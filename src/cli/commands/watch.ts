// `charsheet watch <id>`: follows a reference set live until it ends; the exit code says whether it succeeded.
import { CharacterDocument } from '../../generated/graphql/graphql.js';
import type { CliCommand } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { progressDisplay } from '../progressDisplay.js';
import { setSucceeded } from '../setProgress.js';
import { SetWatcher } from '../setWatcher.js';

export const watchCommand: CliCommand = {
  register(program, run) {
    program
      .command('watch')
      .description('Follow a reference set live until it ends (exit 0 when every image was made, 1 otherwise)')
      .argument('<id>', 'character id')
      .action((id: string, _options, command) =>
        run(command, async ({ client, output }) => {
          // Asked first so an unknown id fails at once with NOT_FOUND, and the bar has the character's name.
          const { character } = await client().request(CharacterDocument, { id });
          const watcher = new SetWatcher(client(), progressDisplay(output), output);
          watcher.watch(character.id, character.name, character.variations.length);
          const [watched] = await watcher.finish();
          return watched?.end && setSucceeded(watched.end) ? EXIT.ok : EXIT.failed;
        }),
      );
  },
};
