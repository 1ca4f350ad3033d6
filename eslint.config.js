import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'http',
  'https',
  'crypto',
  'child_process',
  'net',
  'stream',
];
const restrict = (patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
});
const group = (names, message, allowTypeImports = false) => ({ group: names, message, allowTypeImports });
const electronBoundaries = [
  group(['**/renderer/**', '**/emulator/**'], 'electron/ may import only shared/.'),
];
const coreBoundaries = [
  group(['electron'], 'electron/core runs in plain Node: no Electron import.'),
  group(['**/renderer/**'], 'electron/ may import only shared/.'),
  group(['**/emulator/**'], 'core code may not import the emulator (tests may).', false),
];
const testSupportOnly = group(
  ['**/testing', '**/testing/**'],
  'test support (*/testing/) is for tests, not product code.',
);
const testFiles = ['**/*.test.ts', '**/*.test.tsx', '**/testing/**'];
const rendererBoundaries = [
  group(['**/electron/**'], 'renderer/ may import only shared/ (the bridge type is shared/ipc).'),
  group(['**/emulator/**', 'electron', ...nodeBuiltins], 'renderer/ runs in the browser sandbox.'),
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'release/**',
      'shared/api/*.gen.ts',
      'e2e/artifacts/**',
      'test-results/**',
      '.septet-data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      'no-console': 'error',
    },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { globals: globals.node } },
  // Import boundaries (docs/architecture.md §1): shared → nothing; electron, emulator, renderer → shared.
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: restrict([
      group(['electron', ...nodeBuiltins], 'shared/ is environment-neutral: no electron or node imports.'),
      group(
        ['**/electron/**', '**/renderer/**', '**/emulator/**', 'react', 'react-dom'],
        'shared/ imports nothing.',
      ),
      testSupportOnly,
    ]),
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/**/*.test.ts'],
    rules: restrict(electronBoundaries),
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    rules: restrict(coreBoundaries),
  },
  // Test support (fakes, fixtures, soaks) lives in */testing/ folders: tests may import it, product code may not.
  {
    files: ['electron/**/*.ts'],
    ignores: [...testFiles, 'electron/core/**', 'electron/cli/**'],
    rules: restrict([...electronBoundaries, testSupportOnly]),
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    ignores: testFiles,
    rules: restrict([...coreBoundaries, testSupportOnly]),
  },
  {
    files: ['electron/core/**/*.test.ts'],
    rules: restrict([group(['electron'], 'electron/core runs in plain Node: no Electron import.')]),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: restrict(rendererBoundaries),
  },
  {
    // Test support (fakes, fixtures) lives in */testing/ folders: tests may import it, product code may not.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx', 'renderer/**/testing/**'],
    rules: restrict([
      ...rendererBoundaries,
      group(['**/testing', '**/testing/**'], 'test support (*/testing/) is for tests, not product code.'),
    ]),
  },
  {
    files: ['emulator/**/*.ts'],
    rules: restrict([group(['**/electron/**', '**/renderer/**'], 'emulator/ may import only shared/.')]),
  },
  {
    files: ['emulator/**/*.ts'],
    ignores: testFiles,
    rules: restrict([
      group(['**/electron/**', '**/renderer/**'], 'emulator/ may import only shared/.'),
      testSupportOnly,
    ]),
  },
  {
    files: ['emulator/cli.ts', 'scripts/**', 'bench/**', 'e2e/**', 'electron/cli/**', '**/soak*.ts'],
    rules: { 'no-console': 'off' },
  },
);
