import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Import boundaries (docs/architecture.md#import-boundaries) are enforced here, not by convention.

/** UI libraries worker code never imports. */
const WORKER_FORBIDDEN_PATHS = ['react', 'react-dom', 'zustand'].map((name) => ({ name, message: 'Worker code imports no UI library.' }));
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
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
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
          ],
        },
      ],
    },
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
          ],
        },
      ],
    },
  },
  {
    // Worker code (strategies included) never imports the UI: no app/, no React, no store.
    files: ['workers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: WORKER_FORBIDDEN_PATHS,
          patterns: [{ group: ['**/app/**', '../app/*', 'react/*', 'react-dom/*'], message: 'Worker code imports nothing from app/ and no React.' }],
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
              group: ['**/strategies/**', '**/speculative/**', '**/contrastive/**', '**/grad/**', '**/cntp/**', '**/app/**', '../strategies/*', '../speculative/*', '../contrastive/*', '../grad/*', '../cntp/*'],
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
        { patterns: [{ group: ['**/app/**', '**/workers/**', '../app/*', '../workers/*'], message: 'kernels/ is a leaf: it imports nothing from app/ or workers/.' }] },
      ],
    },
  },
);
