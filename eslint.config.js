import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Import boundaries (docs/architecture.md#import-boundaries) are enforced here, not by convention.

/** UI libraries worker code never imports. */
const WORKER_FORBIDDEN_PATHS = ['react', 'react-dom', 'zustand'].map((name) => ({ name, message: 'Worker code imports no UI library.' }));
/** The UI side: app/ and each strategy family's ui/ with the UI registry (strategies/<family>/, docs/architecture.md#layers). */
const UI_FILES = ['app/**/*.{ts,tsx}', 'strategies/*/ui/**/*.{ts,tsx}', 'strategies/ui-registry.ts', 'strategies/ui-types.ts'];
/** The worker side of the strategy folders: each family's worker/ and the worker registry with its types. */
const STRATEGY_WORKER_FILES = ['strategies/*/worker/**/*.ts', 'strategies/registry.ts', 'strategies/types.ts'];
/** Imports of a family's worker code or of the worker registry (forbidden on the UI side). */
const STRATEGY_WORKER_GROUP = ['**/worker', '**/worker/**', '**/strategies/registry', '**/strategies/types'];
/** Imports of a family's ui/ or of the UI registry (forbidden on the worker side). */
const STRATEGY_UI_GROUP = ['**/ui', '**/ui/**', '**/ui-registry', '**/ui-types'];

/** What the UI may not import: the runtimes, zustand (only the store does), workers/, and the strategy worker code in `workerGroup`. */
function uiImportRules(workerGroup) {
  return {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: [
          { name: '@huggingface/transformers', message: 'app/ never imports transformers.js: it runs in the worker.' },
          { name: 'onnxruntime-web', message: 'app/ never imports onnxruntime-web: it runs in the worker.' },
          { name: 'zustand', message: 'Only the store module imports zustand.' },
        ],
        patterns: [
          { group: ['onnxruntime-web/*'], message: 'app/ never imports onnxruntime-web.' },
          { group: ['**/workers/*', '**/workers/**'], message: 'app/ never imports workers/: what both sides share is in protocol/.' },
          { group: workerGroup, message: "The UI imports a strategy family's ui/ and annotations, never its worker/ or the worker registry." },
        ],
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'public', 'test-results', 'playwright-report', 'bench-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The UI: app/ and every strategy family's ui/ (the only places that render).
    files: UI_FILES,
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, ...uiImportRules(STRATEGY_WORKER_GROUP) },
  },
  {
    // The UI registry sits beside the worker registry: it imports neither that nor a family's worker/.
    files: ['strategies/ui-registry.ts', 'strategies/ui-types.ts'],
    rules: uiImportRules([...STRATEGY_WORKER_GROUP, './registry', './types']),
  },
  {
    files: ['app/store.ts', 'app/store/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    // The shared protocol (docs/architecture.md#worker-contract): runtime code both sides import, so it
    // depends on neither side, on React or on the runtimes.
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['react', 'react-dom', 'zustand', 'comlink', 'onnxruntime-web', '@huggingface/transformers'].map((name) => ({ name, message: 'protocol/ imports no UI or runtime library.' })),
          patterns: [
            { group: ['**/app/**', '**/workers/**', '**/kernels/**', '../app/*', '../workers/*', '../kernels/*', 'react/*', 'react-dom/*', 'onnxruntime-web/*'], message: 'protocol/ is shared by app/ and workers/: it imports from neither.' },
            { group: ['**/strategies/*/worker', '**/strategies/*/worker/**', '**/strategies/*/ui', '**/strategies/*/ui/**', '**/strategies/*.ts', '**/strategies/registry', '**/strategies/types', '**/strategies/ui-*'], message: 'protocol/ imports only the families\' annotation types (strategies/<family>/annotations.ts).' },
          ],
        },
      ],
    },
  },
  {
    // Worker code (each strategy family's worker/ included) never imports the UI: no app/, no React,
    // no store, no family's ui/ and not the UI registry.
    files: ['workers/**/*.ts', ...STRATEGY_WORKER_FILES],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: WORKER_FORBIDDEN_PATHS,
          patterns: [
            { group: ['**/app/**', '../app/*', 'react/*', 'react-dom/*'], message: 'Worker code imports nothing from app/ and no React.' },
            { group: STRATEGY_UI_GROUP, message: 'Worker code imports no strategy ui/ and not the UI registry.' },
          ],
        },
      ],
    },
  },
  {
    // A family's annotation types are shared by its worker and its ui/ (and the union in protocol/):
    // a leaf that imports neither side.
    files: ['strategies/*/annotations.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: WORKER_FORBIDDEN_PATHS,
          patterns: [
            {
              group: ['**/app/**', '**/workers/**', '**/kernels/**', './worker', './worker/**', './ui', './ui/**', '../registry', '../types', '../ui-*', 'react/*', 'react-dom/*'],
              message: 'strategies/<family>/annotations.ts holds types only: it imports nothing from app/, workers/, kernels/ or the family\'s worker/ and ui/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine runs every strategy and knows none (docs/architecture.md#import-boundaries).
    files: ['workers/model/**/*.ts', 'workers/runtime/**/*.ts', 'workers/decode/**/*.ts', 'workers/processors/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: WORKER_FORBIDDEN_PATHS,
          patterns: [
            {
              group: ['**/strategies/**', '**/strategies', '**/app/**'],
              message: 'The engine (model, runtime, decode, processors) imports no strategy and nothing from app/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['kernels/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/app/**', '**/workers/**', '**/strategies/**', '../app/*', '../workers/*'], message: 'kernels/ is a leaf: it imports nothing from app/, workers/ or strategies/.' }] },
      ],
    },
  },
);
