/**
 * Prisma's own reading of schema.prisma (the DMMF), offline. @prisma/internals' getDMMF is
 * not installed and the CLI bundles its schema wasm privately, so we ask the CLI the
 * official way: `prisma generate` on a copy of the schema whose only generator is
 * dmmf-dump-generator.cjs, which writes the DMMF it receives to a file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

export interface DmmfField {
  name: string;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  dbName: string | null;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  nativeType: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
}

export interface DmmfIndex {
  model: string;
  type: 'id' | 'normal' | 'unique' | 'fulltext';
  name?: string;
  dbName?: string;
  fields: { name: string }[];
}

export interface Dmmf {
  datamodel: { models: DmmfModel[]; indexes: DmmfIndex[] };
}

const GENERATOR_BLOCK = /generator\s+\w+\s*\{[^}]*\}/g;

export function readDmmf(schemaPath = path.join(root, 'prisma', 'schema.prisma')): Dmmf {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'greenlight-dmmf-'));
  try {
    const output = path.join(scratch, 'dmmf.json');
    const generator = path.join(__dirname, 'dmmf-dump-generator.cjs');
    const schema = readFileSync(schemaPath, 'utf8').replace(GENERATOR_BLOCK, '');
    writeFileSync(
      path.join(scratch, 'schema.prisma'),
      `${schema}\ngenerator dmmf {\n  provider = ${JSON.stringify(`node ${generator}`)}\n  output   = ${JSON.stringify(output)}\n}\n`,
    );
    execFileSync(path.join(root, 'node_modules', '.bin', 'prisma'), ['generate', '--schema', path.join(scratch, 'schema.prisma')], {
      cwd: scratch,
      stdio: 'pipe',
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
    });
    return JSON.parse(readFileSync(output, 'utf8')) as Dmmf;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
