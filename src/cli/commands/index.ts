// Every command of the CLI, in the order --help lists them. A new command is one file beside these that
// exports a CliCommand, plus its line here.
import type { CliCommand } from '../command.js';
import { createCommand } from './create.js';
import { exportCommand } from './export.js';
import { generateCommand } from './generate.js';
import { statusCommand } from './status.js';
import { watchCommand } from './watch.js';

export const COMMANDS: readonly CliCommand[] = [createCommand, statusCommand, watchCommand, exportCommand, generateCommand];
