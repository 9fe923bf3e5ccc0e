// Lint guards what the compiler cannot: deterministic workflows, awaited promises, no `any` in rules or the API.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tools/**',
      '.data/**',
      'bench/results/**',
      '.stryker-tmp/**',
      'reports/**',
      'contracts/openapi.d.ts',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['domain/**/*.ts', 'api/**/*.ts', 'workflows/**/*.ts', 'web/**/*.ts', 'web/**/*.tsx'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    // A function does one thing: none in the layers that hold the rules and the processes runs past 150 lines.
    files: ['domain/**/*.ts', 'workflows/**/*.ts', 'activities/**/*.ts', 'db/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 150 }] },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process'],
              message: 'Workflows are deterministic: no Node built-ins.',
            },
            // A workflow in its own folder (workflows/case/) reaches the same modules one level further up.
            {
              group: ['postgres', '../db/*', '../api/*', '../worker/*', '../../db/*', '../../api/*', '../../worker/*'],
              message: 'Workflows never do I/O; call an activity.',
            },
            {
              group: ['../activities', '../activities/*', '../../activities', '../../activities/*'],
              allowTypeImports: true,
              message: 'Import activities as types only (proxyActivities).',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() or condition() in workflows.' },
        { name: 'fetch', message: 'No network in workflows.' },
      ],
    },
  },
);
