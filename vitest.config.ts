import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-temp-root.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests talk to real servers (PostgreSQL, MariaDB, Redis, dynalite); keep load modest on 2 cores.
    maxWorkers: 4,
  },
});
