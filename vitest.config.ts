import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);
const storeSource = (file: string): string => fileURLToPath(new URL(`./packages/embedded-mongo/src/${file}`, import.meta.url));

// TypeGraphQL and typegoose read types from decorator metadata; vitest's default esbuild transform does not
// emit it, so every TypeScript file goes through SWC with legacy decorators + metadata (test/decorators.test.ts proves it).
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
    }),
  ],
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) copies. Node, and so every dependency vitest leaves
    // external (type-graphql, Apollo), loads the CJS one; vite would hand our own files the ESM one, and two
    // copies of graphql refuse each other's schema objects. Point vite at the copy Node uses.
    alias: [
      { find: /^graphql$/, replacement: require.resolve('graphql') },
      // The store's package resolves to its build for Node (so the service runs it on a worker thread); tests
      // run its TypeScript sources on the caller's thread instead, like the service's own sources.
      { find: /^@charsheet\/embedded-mongo$/, replacement: storeSource('index.ts') },
      { find: /^@charsheet\/embedded-mongo\/testing$/, replacement: storeSource('testing.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default leaves a core idle (cores - 1: one worker on a 2-core machine); these files mostly wait
    // on servers, child processes and Chromium, so one per core keeps the suite at ~130 s instead of ~190 s.
    maxWorkers: availableParallelism(),
  },
});
