// The `charsheet` program: global options (--url, --token, --json, with CHARSHEET_URL / CHARSHEET_TOKEN as
// fallbacks), every command from the registry, and one exit code per run. Commander's own errors (an
// unknown flag, a missing argument) become the usage exit code instead of ending the process in the middle.
import { Command, CommanderError, Option } from 'commander';
import { type Action, runAction } from './command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT, type ExitCode } from './exitCodes.js';

export const DEFAULT_URL = 'http://localhost:4000';

export function buildProgram(setExitCode: (code: ExitCode) => void): Command {
  const program = new Command('charsheet')
    .description('Create characters and their reference sets, follow them and export LoRA training sets, on a running charsheet service')
    .addOption(new Option('--url <url>', 'base URL of the service').env('CHARSHEET_URL').default(DEFAULT_URL))
    .addOption(new Option('--token <token>', 'bearer token for a service with authentication').env('CHARSHEET_TOKEN'))
    .option('--json', 'machine-readable output: one JSON object per line, no progress bars')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  const run = (command: Command, action: Action) => runAction(command, action, setExitCode);
  for (const command of COMMANDS) command.register(program, run);
  program.commands.forEach((command) => command.showHelpAfterError('(add --help for usage)'));
  return program;
}

/** Runs the CLI on `argv` (as process.argv) and answers the exit code. */
export async function runCli(argv: readonly string[]): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram((code) => (exitCode = code));
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end the same way as a usage error, with exitCode 0.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  return exitCode;
}
