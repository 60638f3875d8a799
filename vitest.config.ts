// Vitest projects: `unit` (pure code), then every database-backed test file twice, on PGlite and
// on a throwaway PostgreSQL server that test/support/postgres.global-setup.ts starts and stops.
import { defineConfig } from 'vitest/config';

const databaseTests = [
  'src/**/*.repository.test.ts',
  'src/**/*.service.test.ts',
  'src/**/*.routes.test.ts',
  'src/**/*.api.test.ts',
  'test/integration/**/*.test.ts',
];

// Only on PostgreSQL: these start a primary and a streaming replica of their own
// (test/support/postgres-replica.ts).
const replicaTests = ['test/replica/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...databaseTests, ...replicaTests],
        },
      },
      {
        extends: true,
        test: { name: 'pglite', include: databaseTests, env: { TEST_DB: 'pglite' } },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [...databaseTests, ...replicaTests],
          env: { TEST_DB: 'postgres' },
          globalSetup: ['test/support/postgres.global-setup.ts'],
        },
      },
    ],
  },
});
