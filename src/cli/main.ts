#!/usr/bin/env node
// The `charsheet` bin. Anything unexpected is a bug in the CLI: it is shown with its stack and exits 1.
import { runCli } from './program.js';

try {
  process.exitCode = await runCli(process.argv);
} catch (error) {
  console.error('charsheet: unexpected error:', error);
  process.exitCode = 1;
}
