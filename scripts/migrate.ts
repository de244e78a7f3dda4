/**
 * Applies prisma/migrations/* to PostgreSQL without Prisma's schema engine (it cannot be
 * downloaded on these machines, DESIGN.md §8). It keeps the books exactly as
 * `prisma migrate deploy` does — same `_prisma_migrations` table, same sha256 checksums,
 * same advisory lock — so either tool can take over from the other.
 *
 *   npx tsx scripts/migrate.ts            # DATABASE_URL or the default local database
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../platform/config';
import { withServerAdmin } from './lib/database';
import { sha256Hex } from '../platform/ids';

const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'prisma', 'migrations');

/** The key Prisma's schema engine takes, so this runner and `prisma migrate` exclude each other too. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

// The table as Prisma's schema engine creates it for PostgreSQL.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type MigrationErrorCode = 'checksum_mismatch' | 'failed_migration' | 'migration_failed';

export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    readonly migrationName: string,
    message: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

interface AppliedMigration {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrateOptions {
  migrationsDir?: string;
  log?: (line: string) => void;
}

/** Folders `<timestamp>_<name>/migration.sql`, in the order their names sort (as Prisma orders them). */
export function readLocalMigrations(migrationsDir = MIGRATIONS_DIR): LocalMigration[] {
  return readdirSync(migrationsDir)
    .filter((entry) => statSync(path.join(migrationsDir, entry)).isDirectory())
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: sha256Hex(sql) };
    });
}

/** Creates the database named in the URL when it does not exist (through the `postgres` database). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const database = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  return withServerAdmin(databaseUrl, async (admin) => {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    try {
      await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    } catch (error) {
      // Another process created it between our look and our create: that is what we wanted.
      if ((error as { code?: string }).code !== '42P04') throw error;
      return false;
    }
    return true;
  });
}

/**
 * Brings the database up to date. Refuses to go on when an applied migration was edited
 * afterwards or an earlier run failed half-way: both need a person, not a retry.
 */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const log = options.log ?? (() => undefined);
  if (await ensureDatabase(databaseUrl)) log(`created database ${new URL(databaseUrl).pathname.slice(1)}`);

  const local = readLocalMigrations(options.migrationsDir);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    await db.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await db.query<AppliedMigration>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at',
    );
    const appliedByName = new Map(rows.map((row) => [row.migration_name, row]));

    for (const row of rows) {
      if (row.finished_at === null) {
        throw new MigrationError(
          'failed_migration',
          row.migration_name,
          `Migration ${row.migration_name} started but never finished. Fix the database by hand, then mark it rolled back ` +
            `(UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${row.migration_name}') and run again.`,
        );
      }
    }
    for (const migration of local) {
      const applied = appliedByName.get(migration.name);
      if (applied && applied.checksum !== migration.checksum) {
        throw new MigrationError(
          'checksum_mismatch',
          migration.name,
          `Migration ${migration.name} was modified after it was applied (checksum ${applied.checksum} in the database, ` +
            `${migration.checksum} on disk). Applied migrations are history: restore the file and add a new migration instead.`,
        );
      }
    }
    for (const name of appliedByName.keys()) {
      if (!local.some((migration) => migration.name === name)) log(`warning: ${name} is applied but missing from ${options.migrationsDir ?? MIGRATIONS_DIR}`);
    }

    const applied: string[] = [];
    for (const migration of local.filter((candidate) => !appliedByName.has(candidate.name))) {
      await applyOne(db, migration);
      applied.push(migration.name);
      log(`applied ${migration.name}`);
    }
    return { applied };
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => undefined);
    await db.end();
  }
}

/** The migration and its bookkeeping row commit together, or neither does. */
async function applyOne(db: Client, migration: LocalMigration): Promise<void> {
  await db.query('BEGIN');
  try {
    const id = randomUUID();
    await db.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [
      id,
      migration.checksum,
      migration.name,
    ]);
    await db.query(migration.sql);
    await db.query('UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1', [id]);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw new MigrationError('migration_failed', migration.name, `Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
  }
}

if (require.main === module) {
  const { databaseUrl } = loadConfig();
  migrate(databaseUrl, { log: (line) => console.log(`[migrate] ${line}`) })
    .then(({ applied }) => {
      if (applied.length === 0) console.log('[migrate] database is up to date');
    })
    .catch((error: Error) => {
      console.error(`[migrate] ${error.message}`);
      process.exit(1);
    });
}
