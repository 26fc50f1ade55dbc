// What every command shares: the global options, how its action runs (output, client, exit code), and the
// shape of a command module. A command is one file under commands/ that registers itself on the program.
import { type Command, InvalidArgumentError } from 'commander';
import { ServiceClient } from './client.js';
import { CliError, type ExitCode } from './exitCodes.js';
import { Output } from './output.js';

export interface GlobalOptions {
  url: string;
  token?: string;
  json?: boolean;
}

export interface CommandContext {
  output: Output;
  /** The service client, connected on first use (so --help and usage errors never open a connection). */
  client(): ServiceClient;
}

export type Action = (context: CommandContext) => Promise<ExitCode>;

export interface CliCommand {
  /** Adds the command with its arguments, flags and help; its action calls `run`. */
  register(program: Command, run: (command: Command, action: Action) => Promise<void>): void;
}

/** Runs an action and records its exit code; a CliError becomes a message on stderr and its exit code. */
export async function runAction(command: Command, action: Action, setExitCode: (code: ExitCode) => void): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const output = new Output(Boolean(options.json));
  let client: ServiceClient | null = null;
  try {
    setExitCode(await action({ output, client: () => (client ??= new ServiceClient({ url: options.url, token: options.token || undefined })) }));
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    output.problem({ event: 'error', code: error.code ?? null, message: error.message }, `error: ${error.message}`);
    setExitCode(error.exitCode);
  } finally {
    await (client as ServiceClient | null)?.close();
  }
}

/** A parser for a numeric flag: commander reports a bad value as a usage error naming the flag. */
export function integerOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return number;
  };
}
