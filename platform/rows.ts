/**
 * Database rows as JSON answers and webhook bodies carry them. A presenter names the fields of
 * a row it shows as stored; their dates become ISO 8601 strings, since JSON has no dates.
 * Fields a presenter narrows (a status string to its union) or reshapes stay written out.
 */
export type RowFields<Row, Key extends keyof Row> = {
  [K in Key]: Row[K] extends Date ? string : Row[K] extends Date | null ? string | null : Row[K];
};

export function rowFields<Row extends object, Key extends keyof Row>(row: Row, keys: readonly Key[]): RowFields<Row, Key> {
  const shown: Partial<Record<Key, unknown>> = {};
  for (const key of keys) {
    const value = row[key];
    shown[key] = value instanceof Date ? value.toISOString() : value;
  }
  return shown as RowFields<Row, Key>;
}
