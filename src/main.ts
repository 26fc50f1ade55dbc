// Process entry: load config, start the service, stop cleanly on SIGINT/SIGTERM. Whatever stops the process
// says so in one log line (JSON unless LOG_FORMAT=pretty) and a non-zero exit code: 2 for invalid settings,
// 1 for a failed start or a crash. No raw stack trace reaches the output outside a log line.
import 'reflect-metadata';
import { startService } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger, type LoggerSettings } from './logger.js';
import { startupFailureOf } from './startupFailure.js';

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** With the settings invalid, the log still follows the ones that can be read. */
function fallbackLoggerSettings(env: NodeJS.ProcessEnv): LoggerSettings {
  return { LOG_LEVEL: LOG_LEVELS.has(env.LOG_LEVEL ?? '') ? (env.LOG_LEVEL as string) : 'info', LOG_FORMAT: env.LOG_FORMAT === 'pretty' ? 'pretty' : 'json' };
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error.message.split('\n').slice(1).map((line) => line.trim());
    createLogger(fallbackLoggerSettings(process.env)).fatal({ problems }, `charsheet could not start: invalid configuration: ${problems.join('; ')}`);
    process.exit(2);
  }
}

function stopOnSignals(logger: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config);
  // A crash is a bug: its stack belongs in the log, as a field of one line.
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'charsheet stopped on an unexpected error');
    process.exit(1);
  });
  try {
    const service = await startService(config, { logger });
    stopOnSignals(logger, () => service.close());
  } catch (error) {
    const failure = startupFailureOf(error, config);
    logger.fatal({ cause: failure.cause }, failure.message);
    process.exit(1);
  }
}

await main();
