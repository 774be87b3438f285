// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

module.exports = tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.test-build-*/**', 'coverage/**', '.callmatrix/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The Zoho emulator is a package of its own: it imports nothing of callmatrix.
    files: ['packages/zoho-emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../*'], message: 'The emulator package imports nothing outside itself.' }] }],
    },
  },
  {
    // Product code reaches the emulator only on the demo path, by dynamic import() (cli/demo.ts): types only here.
    // Before the workflow block, which replaces this rule for workflow-safe files (they import no I/O at all).
    files: ['{activation,activities,app,cli,common,config,http,matrix,telephony,temporal,worker,workflows,zoho}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@callmatrix/zoho-emulator', allowTypeImports: true, message: 'Load the emulator with import() on the demo path only (cli/demo.ts).' }] },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries.
    files: ['workflows/**/*.ts', 'matrix/**/*.ts', 'common/**/*.ts', 'temporal/contracts.ts', 'temporal/call-status.ts', 'temporal/failures.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...builtinModules.flatMap((m) => [m, `node:${m}`]).filter((m) => m !== 'assert').map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins.' })),
            { name: 'axios', message: 'I/O belongs in activities.' },
            { name: '@temporalio/activity', message: 'Workflows may import only the types of activities.' },
            { name: '@temporalio/client', message: 'Not allowed in workflow code.' },
            { name: '@temporalio/worker', message: 'Not allowed in workflow code.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
