// Typed documents from schema.graphql and operations/*.graphql (`npm run codegen`). Tests and the web client
// import them, so an operation that drifts from the schema fails to compile. CI checks the output is current.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['operations/**/*.graphql'],
  generates: {
    'src/generated/graphql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        // NodeNext ESM needs explicit .js extensions in relative imports.
        emitLegacyCommonJSImports: false,
        enumsAsTypes: true,
        scalars: { DateTimeISO: 'string' },
      },
    },
  },
};

export default config;
