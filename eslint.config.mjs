// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', '.tools/**', 'dist/**', 'test/histories/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // plain Node scripts (bootstrap, provisioning) that run before npm install
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    // CommonJS on purpose (scripts/build-stamp.cjs: bin/baocao requires it before every call, no ESM loader)
    files: ['**/*.cjs'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed: it must stay deterministic and free of I/O.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code runs in a deterministic sandbox: no Node built-ins.' })),
            { name: 'luxon', message: 'Calendar maths runs in activities, so a new holiday table never changes a replay.' },
            { name: 'nodemailer', message: 'I/O belongs in activities/.' },
            { name: 'better-sqlite3', message: 'I/O belongs in activities/.' },
            { name: 'pg', message: 'I/O belongs in activities/.' },
            { name: 'kysely', message: 'I/O belongs in activities/.' },
            { name: 'exceljs', message: 'I/O belongs in activities/.' },
            { name: 'docx', message: 'I/O belongs in activities/.' },
            { name: 'fastify', message: 'I/O belongs in client/.' },
            { name: '@temporalio/client', message: 'Workflows use @temporalio/workflow only.' },
            { name: '@temporalio/activity', message: 'Workflows use @temporalio/workflow only.' },
            { name: '@temporalio/worker', message: 'Workflows use @temporalio/workflow only.' },
          ],
          patterns: [
            {
              group: ['**/activities', '**/activities/**'],
              allowTypeImports: true,
              message: 'Workflows may only `import type` from activities/ (for proxyActivities).',
            },
            { group: ['luxon/*', 'nodemailer/*', 'pg/*', 'kysely/*', 'smtp-server', 'mailparser'], message: 'No I/O or calendar libraries in workflow code.' },
          ],
        },
      ],
    },
  },
);
