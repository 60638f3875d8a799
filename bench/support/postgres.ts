/**
 * A throwaway PostgreSQL server for a benchmark: the tests' server (test/support/postgres-server.ts:
 * initdb in a temporary folder as the `postgres` user when we are root, a free loopback port,
 * fsync off) with settings for a bulk load: larger shared buffers, work memory and WAL, no
 * autovacuum while loading (the loader analyses), lz4 for compressed values.
 */
import { type PostgresServer, startPostgres } from '../../test/support/postgres-server.js';

/** postgresql.conf settings for a bulk load on a machine with a few GB to spare. */
export const BULK_LOAD_SETTINGS: Readonly<Record<string, string>> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '50',
  shared_buffers: '2GB',
  effective_cache_size: '8GB',
  work_mem: '64MB',
  maintenance_work_mem: '1GB',
  max_wal_size: '16GB',
  checkpoint_timeout: '30min',
  wal_level: 'minimal',
  max_wal_senders: '0',
  autovacuum: 'off',
  jit: 'off',
  // Results snapshots (4 KB of JSON each) are compressed: lz4 is several times faster than pglz.
  default_toast_compression: 'lz4',
};

export function startBenchPostgres(
  settings: Readonly<Record<string, string>> = BULK_LOAD_SETTINGS,
): Promise<PostgresServer> {
  return startPostgres(settings, { prefix: 'digicap-bench-pg-', timeoutSeconds: 120 });
}
