import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'electron/**/*.test.ts',
      'emulator/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
    ],
    exclude: ['node_modules/**', 'e2e/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
