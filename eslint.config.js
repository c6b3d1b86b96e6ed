import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Import boundaries (docs/architecture.md#import-boundaries) are enforced here, not by convention.
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
            {
              group: ['**/workers/*', '!**/workers/protocol', '!**/workers/protocol.ts'],
              message: 'app/ imports only the protocol types from workers/.',
            },
            { group: ['**/workers/protocol', '**/workers/protocol.ts'], allowTypeImports: true, message: 'Import the protocol with `import type`.' },
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
    files: ['kernels/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/app/**', '**/workers/**', '../app/*', '../workers/*'], message: 'kernels/ is a leaf: it imports nothing from app/ or workers/.' }] },
      ],
    },
  },
);
