// Lint guards what the compiler cannot: deterministic workflows, awaited promises, no `any` in rules or the API.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'bench/results/**', '.stryker-tmp/**', 'reports/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['domain/**/*.ts', 'api/**/*.ts', 'workflows/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process'], message: 'Workflows are deterministic: no Node built-ins.' },
            { group: ['postgres', '../db/*', '../api/*', '../worker/*'], message: 'Workflows never do I/O; call an activity.' },
            { group: ['../activities', '../activities/*'], allowTypeImports: true, message: 'Import activities as types only (proxyActivities).' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() or condition() in workflows.' }, { name: 'fetch', message: 'No network in workflows.' }],
    },
  },
);
