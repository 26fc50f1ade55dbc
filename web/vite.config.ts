// Builds the web page (index.html) and the offline GraphQL playground (playground.html) into dist/web, which
// the service serves at / and at GET /graphql for browsers. Everything is bundled: no request leaves the host.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const serviceUrl = process.env.CHARSHEET_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: webRoot,
  base: '/',
  // The service serves the build; vite's dev server is only for working on the page (`npx vite web`).
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // Monaco (GraphiQL's editor) is large by nature; it only loads on the playground page.
    chunkSizeWarningLimit: 5000,
    rollupOptions: {
      // GraphiQL's dependencies mark React server-component boundaries ("use client"), meaningless in a plain bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        playground: fileURLToPath(new URL('playground.html', import.meta.url)),
      },
    },
  },
  worker: { format: 'es' },
  // The dev server's pre-bundling cannot follow the `?worker` imports of GraphiQL's worker setup; leave that
  // one module to vite's worker handling.
  optimizeDeps: { exclude: ['graphiql/setup-workers/vite', '@graphiql/react/setup-workers/vite'] },
  // `npx vite -c web/vite.config.ts` for working on the page with hot reload, against a service running on
  // CHARSHEET_URL (default: `npm start`'s http://127.0.0.1:4000).
  server: {
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: {
      '/graphql': { target: serviceUrl, ws: true },
      '/files': serviceUrl,
      '/api': serviceUrl,
    },
  },
});
