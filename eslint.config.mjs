// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// What deterministic code (workflows/ and the domain model in domain/) may not import.
const deterministicPaths = [
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
];
const ioPackagePatterns = { group: ['luxon/*', 'nodemailer/*', 'pg/*', 'kysely/*', 'smtp-server', 'mailparser'], message: 'No I/O or calendar libraries in workflow code.' };
/** Types shared by workflows, activities and clients live in domain/: a workflow never reaches into activities/. */
const noActivities = {
  group: ['**/activities', '**/activities/**'],
  message: 'Workflows take shared types from domain/, never from activities/ (only activities-proxy.ts imports the Activities type).',
};

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
    // Workflow code is replayed: it must stay deterministic and free of I/O; it takes shared types from domain/.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/activities-proxy.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: deterministicPaths, patterns: [noActivities, ioPackagePatterns] }] },
  },
  {
    // The domain model is imported by workflows, activities and clients: deterministic, no I/O, nothing from
    // activities/, workflows/ or client/ (they depend on it, not the other way round).
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: deterministicPaths,
          patterns: [
            { group: ['**/activities', '**/activities/**', '**/workflows', '**/workflows/**', '**/client/**', '**/common/**', '@temporalio/*'], message: 'domain/ depends on nothing of the project but itself (and zod).' },
            ioPackagePatterns,
          ],
        },
      ],
    },
  },
  {
    // Migrations are frozen history: what an old database becomes never depends on today's runtime code.
    files: ['activities/db/migrations/**/*.ts'],
    ignores: ['activities/db/migrations/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['.*', '../*', '**/activities/**', '**/domain/**', '**/workflows/**', '**/common/**', '**/client/**'], message: 'A migration copies what it needs (frozen history): it never imports runtime code.' }] },
      ],
    },
  },
  {
    // The activity proxies need the Activities type (proxyActivities<Activities>): a type import, nothing else.
    files: ['workflows/activities-proxy.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: deterministicPaths, patterns: [{ ...noActivities, allowTypeImports: true }, ioPackagePatterns] },
      ],
    },
  },
);
