/** Creating and dropping whole databases on the PostgreSQL server a URL names (through its `postgres` database). */
import { Client } from 'pg';

/** The same server, another database. */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withServerAdmin<T>(serverUrl: string, use: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Drops (disconnecting whoever uses it) and creates `database` empty. */
export async function recreateDatabase(admin: Client, database: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${quoted(database)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${quoted(database)}`);
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await withServerAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${quoted(database)} WITH (FORCE)`));
}
