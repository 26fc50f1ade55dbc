import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

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
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
