// `charsheet create`: one character from flags, or many from a JSONL/CSV file, sent with createCharacters in
// chunks; then, unless --no-wait, follows every set with a bar per set and overall. Broken lines and refused
// inputs are reported with their line numbers and the rest go on; any of them, or a failed set, makes the
// exit code 1. Inputs past the user's limit of sets in generation wait for one of the batch's sets to end and
// are sent again, so a batch larger than that limit still goes through.
import { MAX_BATCH_SIZE } from '../../pipeline/createCharacters.js';
import { type CreateCharacterInput, CreateCharactersDocument } from '../../generated/graphql/graphql.js';
import { type BatchEntry, characterInput, readBatchFile } from '../batchFile.js';
import { type CliCommand, type CommandContext, integerOption } from '../command.js';
import { CliError, EXIT, type ExitCode } from '../exitCodes.js';
import { progressDisplay } from '../progressDisplay.js';
import { setSucceeded } from '../setProgress.js';
import { SetWatcher, type WatchedSet } from '../setWatcher.js';

/** Inputs per createCharacters call: a call answers once its avatars are drawn, so small chunks keep bars moving. */
const DEFAULT_CHUNK_SIZE = 10;

interface CreateOptions {
  file?: string;
  name?: string;
  description?: string;
  style?: string;
  seed?: number;
  trait: string[];
  chunkSize: number;
  wait: boolean;
}

function traitOption(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function entriesFromFlags(options: CreateOptions): BatchEntry[] {
  const traits = Object.fromEntries(
    options.trait.map((pair) => {
      const at = pair.indexOf('=');
      if (at <= 0) throw new CliError(`--trait wants key=value (got ${JSON.stringify(pair)})`, EXIT.usage);
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    }),
  );
  try {
    const input = characterInput({ name: options.name, description: options.description, style: options.style, seed: options.seed, ...(options.trait.length > 0 ? { traits } : {}) });
    return [{ line: 0, input }];
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage);
  }
}

/** Where an input came from, for messages: its line in the file, or nothing for flags. */
const origin = (entry: BatchEntry): string => (entry.line > 0 ? `line ${entry.line}: ` : '');

async function create(context: CommandContext, options: CreateOptions): Promise<ExitCode> {
  const { output } = context;
  if (options.file && options.name) throw new CliError('give either --file or --name, not both', EXIT.usage);
  if (!options.file && !options.name) throw new CliError('give --name (one character) or --file (a .jsonl or .csv batch)', EXIT.usage);

  let entries: BatchEntry[];
  let failures = 0;
  if (options.file) {
    const batch = await readBatchFile(options.file);
    for (const problem of batch.problems) output.problem({ event: 'invalid-line', line: problem.line, message: problem.message }, `${options.file}: line ${problem.line}: ${problem.message}`);
    failures += batch.problems.length;
    entries = batch.entries;
    if (entries.length === 0) throw new CliError(`${options.file} has no usable line`, EXIT.failed);
  } else {
    entries = entriesFromFlags(options);
  }

  const client = context.client();
  const display = options.wait ? progressDisplay(output) : null;
  const watcher = display ? new SetWatcher(client, display, output) : null;
  let created = 0;
  let watched: WatchedSet[] = [];
  try {
    const unsent = [...entries];
    display?.expectSets(unsent.length);
    while (unsent.length > 0) {
      const chunk = unsent.splice(0, options.chunkSize);
      const inputs: CreateCharacterInput[] = chunk.map((entry) => entry.input);
      const { createCharacters: outcomes } = await client.request(CreateCharactersDocument, { inputs });
      const deferred: BatchEntry[] = [];
      for (const outcome of outcomes) {
        const entry = chunk[outcome.index] as BatchEntry;
        const line = entry.line > 0 ? entry.line : null;
        if (outcome.__typename === 'CharacterCreated') {
          created++;
          const { id, name } = outcome.character;
          output.result({ event: 'created', line, characterId: id, name }, `${origin(entry)}created ${name} (${id})`);
          watcher?.watch(id, name, outcome.character.variations.length);
        } else if (outcome.limit === 'charactersInGeneration' && watcher && watcher.running > 0) {
          // The limit on sets in generation frees a place whenever one of ours ends: wait for that, not fail.
          deferred.push(entry);
        } else {
          failures++;
          const retry = outcome.retryAfterSeconds ? ` (retry after ${outcome.retryAfterSeconds} s)` : '';
          output.problem(
            { event: 'failed', line, name: entry.input.name, code: outcome.code, message: outcome.message, field: outcome.field ?? null, retryAfterSeconds: outcome.retryAfterSeconds ?? null },
            `${origin(entry)}${entry.input.name}: ${outcome.code}: ${outcome.message}${retry}`,
          );
        }
      }
      unsent.unshift(...deferred);
      // The chunk's refused inputs will have no set.
      display?.expectSets(unsent.length);
      if (deferred.length > 0 && watcher) {
        output.result({ event: 'waiting', inputs: deferred.length, running: watcher.running }, `${deferred.length} waiting for one of ${watcher.running} sets in generation to end (your limit of sets at once)`);
        await watcher.nextEnd();
      }
    }
  } finally {
    // Sets already started are followed to their end even when a later chunk could not be sent.
    if (watcher) watched = await watcher.finish();
  }
  const setsFailed = watched.filter((set) => !set.end || !setSucceeded(set.end)).length;
  const summary = `${created} created, ${failures} failed${watcher ? `; ${watched.length - setsFailed} sets completed, ${setsFailed} not` : ''}`;
  output.result({ event: 'summary', created, failed: failures, setsCompleted: watched.length - setsFailed, setsFailed }, summary);
  return failures === 0 && setsFailed === 0 && created > 0 ? EXIT.ok : EXIT.failed;
}

export const createCommand: CliCommand = {
  register(program, run) {
    program
      .command('create')
      .description(`Create one character from flags, or many from a .jsonl/.csv file (sent ${MAX_BATCH_SIZE} at most per call), and follow their reference sets`)
      .option('--file <batch>', 'JSON Lines (one {"name", "description", "style", "seed", "traits"} per line) or CSV (header row; other columns are traits)')
      .option('--name <name>', 'display name of one character')
      .option('--description <text>', 'what the character is like')
      .option('--style <style>', "art style (default 'digital illustration')")
      .option('--seed <n>', 'base seed', integerOption(0, 2_147_483_637))
      .option('--trait <key=value>', 'a trait such as hair=auburn (repeatable)', traitOption, [])
      .option('--chunk-size <n>', `inputs per createCharacters call (1–${MAX_BATCH_SIZE})`, integerOption(1, MAX_BATCH_SIZE), DEFAULT_CHUNK_SIZE)
      .option('--no-wait', 'print the created ids and exit without following the sets')
      .action((options: CreateOptions, command) => run(command, (context) => create(context, options)));
  },
};
