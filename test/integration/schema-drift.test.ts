/**
 * schema.prisma and the migrated database must describe the same tables. The migrations are
 * hand-written SQL (prisma migrate cannot run offline, DESIGN.md §8), so this test is what
 * catches a model changed without a migration, or a migration that says something else.
 * Expected: Prisma's own reading of the schema (DMMF) and Prisma's naming conventions.
 * Actual: pg_catalog of the test database, migrated by scripts/migrate.ts in global setup.
 */
import { Client } from 'pg';
import { readDmmf, type Dmmf, type DmmfField, type DmmfModel } from '../../scripts/lib/prisma-dmmf';
import { readLocalMigrations } from '../../scripts/migrate';
import { testServices } from '../support/environment';

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/** The native types this schema uses, as PostgreSQL's format_type() prints them. Extend when the schema does. */
const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Decimal: ([precision, scale]) => `numeric(${precision},${scale})`,
  VarChar: ([length]) => `character varying(${length})`,
  Timestamptz: ([precision = '6']) => `timestamp(${precision}) with time zone`,
  Timestamp: ([precision = '6']) => `timestamp(${precision}) without time zone`,
  Uuid: () => 'uuid',
  Text: () => 'text',
};

/** Prisma's referential actions → pg_constraint's one-letter codes. */
const ACTION_CODES: Record<string, string> = { Cascade: 'c', Restrict: 'r', SetNull: 'n', NoAction: 'a', SetDefault: 'd' };

function columnType(field: DmmfField): string {
  let type: string | undefined;
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    const native = NATIVE_TYPES[name];
    if (!native) throw new Error(`schema-drift: add native type @db.${name} to NATIVE_TYPES`);
    type = native(args);
  } else {
    type = field.kind === 'enum' ? `"${field.type}"` : SCALAR_TYPES[field.type];
  }
  if (!type) throw new Error(`schema-drift: add Prisma type ${field.type} to SCALAR_TYPES`);
  return field.isList ? `${type}[]` : type;
}

const tableOf = (model: DmmfModel): string => model.dbName ?? model.name;

function columnOf(model: DmmfModel, fieldName: string): string {
  const field = model.fields.find((candidate) => candidate.name === fieldName);
  if (!field) throw new Error(`schema-drift: ${model.name}.${fieldName} not found`);
  return field.dbName ?? field.name;
}

/** Everything the schema says the database holds, one line per fact, in a stable order. */
function expectedFacts(dmmf: Dmmf): { columns: string[]; indexes: string[]; foreignKeys: string[] } {
  const columns: string[] = [];
  const indexes: string[] = [];
  const foreignKeys: string[] = [];
  const models = new Map(dmmf.datamodel.models.map((model) => [model.name, model]));

  for (const model of dmmf.datamodel.models) {
    const table = tableOf(model);
    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      const notNull = field.isRequired && !field.isList;
      columns.push(`${table}.${field.dbName ?? field.name} ${columnType(field)}${notNull ? ' NOT NULL' : ''}${field.hasDefaultValue ? ' DEFAULT' : ''}`);
    }
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.relationFromFields?.length) continue;
      const target = models.get(field.type);
      if (!target) throw new Error(`schema-drift: relation ${model.name}.${field.name} targets unknown model ${field.type}`);
      const from = field.relationFromFields.map((name) => columnOf(model, name));
      const to = (field.relationToFields ?? []).map((name) => columnOf(target, name));
      // Prisma's defaults: a required relation restricts deletes, an optional one nulls the column.
      const onDelete = field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull');
      const onUpdate = field.relationOnUpdate ?? 'Cascade';
      foreignKeys.push(
        `${table}_${from.join('_')}_fkey: ${table}(${from.join(',')}) -> ${tableOf(target)}(${to.join(',')}) on delete ${ACTION_CODES[onDelete]} on update ${ACTION_CODES[onUpdate]}`,
      );
    }
  }
  for (const index of dmmf.datamodel.indexes) {
    const model = models.get(index.model);
    if (!model) throw new Error(`schema-drift: index on unknown model ${index.model}`);
    const table = tableOf(model);
    const cols = index.fields.map((field) => columnOf(model, field.name));
    const suffix = { id: 'pkey', unique: 'key', normal: 'idx', fulltext: 'idx' }[index.type];
    const defaultName = index.type === 'id' ? `${table}_pkey` : `${table}_${cols.join('_')}_${suffix}`;
    const kind = { id: 'PRIMARY KEY', unique: 'UNIQUE', normal: 'INDEX', fulltext: 'FULLTEXT' }[index.type];
    indexes.push(`${index.dbName ?? defaultName}: ${kind} ${table}(${cols.join(',')})`);
  }
  return { columns: columns.sort(), indexes: indexes.sort(), foreignKeys: foreignKeys.sort() };
}

/** The same facts, read from pg_catalog. Prisma's own bookkeeping table is not part of the model. */
async function actualFacts(db: Client): Promise<{ columns: string[]; indexes: string[]; foreignKeys: string[] }> {
  const columns = await db.query<{ fact: string }>(`
    SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
           || CASE WHEN d.adbin IS NOT NULL THEN ' DEFAULT' ELSE '' END AS fact
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
       AND a.attnum > 0 AND NOT a.attisdropped`);
  const indexes = await db.query<{ fact: string }>(`
    SELECT i.relname || ': ' || CASE WHEN x.indisprimary THEN 'PRIMARY KEY' WHEN x.indisunique THEN 'UNIQUE' ELSE 'INDEX' END
           || ' ' || t.relname || '(' || string_agg(a.attname, ',' ORDER BY k.ord) || ')' AS fact
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
     WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
     GROUP BY i.relname, x.indisprimary, x.indisunique, t.relname`);
  const foreignKeys = await db.query<{ fact: string }>(`
    SELECT con.conname || ': ' || src.relname || '(' ||
           (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum)
           || ') -> ' || tgt.relname || '(' ||
           (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)
           || ') on delete ' || con.confdeltype::text || ' on update ' || con.confupdtype::text AS fact
      FROM pg_constraint con
      JOIN pg_class src ON src.oid = con.conrelid
      JOIN pg_class tgt ON tgt.oid = con.confrelid
      JOIN pg_namespace n ON n.oid = src.relnamespace
     WHERE con.contype = 'f' AND n.nspname = 'public'`);
  const sorted = (rows: { fact: string }[]) => rows.map((row) => row.fact).sort();
  return { columns: sorted(columns.rows), indexes: sorted(indexes.rows), foreignKeys: sorted(foreignKeys.rows) };
}

describe('schema.prisma and the migrated database', () => {
  const db = new Client({ connectionString: testServices().databaseUrl });
  let expected: ReturnType<typeof expectedFacts>;
  let actual: Awaited<ReturnType<typeof actualFacts>>;

  beforeAll(async () => {
    expected = expectedFacts(readDmmf());
    await db.connect();
    actual = await actualFacts(db);
  }, 60_000);
  afterAll(() => db.end());

  it('have the same columns, with the same types, nullability and defaults', () => {
    expect(actual.columns).toEqual(expected.columns);
  });

  it('have the same primary keys, unique constraints and indexes, under Prisma’s names', () => {
    expect(actual.indexes).toEqual(expected.indexes);
  });

  it('have the same foreign keys and referential actions', () => {
    expect(actual.foreignKeys).toEqual(expected.foreignKeys);
  });

  it('records every migration folder in _prisma_migrations with Prisma’s checksum', async () => {
    const { rows } = await db.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
    );
    expect(rows).toEqual(readLocalMigrations().map(({ name, checksum }) => ({ migration_name: name, checksum })));
  });
});
