// Column and table definitions shared by the data build, the tests, the SQL console and the methods page.
export type ColumnType =
  | 'VARCHAR'
  | 'BIGINT'
  | 'INTEGER'
  | 'DOUBLE'
  | 'BOOLEAN'
  | 'TIMESTAMP'
  | 'VARCHAR[]'
  | 'INTEGER[]';

export interface ColumnDef<
  N extends string = string,
  T extends ColumnType = ColumnType,
  Null extends boolean = boolean,
> {
  readonly name: N;
  readonly type: T;
  /** One line a reader of the methods page understands. */
  readonly description: string;
  /** False only for key columns that every row carries. */
  readonly nullable: Null;
}

export interface TableDef<C extends readonly ColumnDef[] = readonly ColumnDef[]> {
  readonly name: string;
  readonly description: string;
  /** Columns that order the rows stably (and usually identify them). */
  readonly orderBy: readonly string[];
  readonly columns: C;
  /**
   * Tables that grow with time are published in parts: the UTC day (`YYYY-MM-DD`) of this TIMESTAMP column names a
   * row's part (`undated` when it is null), one file `<table>.<day>.parquet` each, listed in the manifest's `parts`.
   * A refresh rewrites only the parts whose rows changed. Left out: one file.
   */
  readonly partBy?: string;
}

export function col<N extends string, T extends ColumnType>(
  name: N,
  type: T,
  description: string,
): ColumnDef<N, T, true> {
  return { name, type, description, nullable: true };
}

export function key<N extends string, T extends ColumnType>(
  name: N,
  type: T,
  description: string,
): ColumnDef<N, T, false> {
  return { name, type, description, nullable: false };
}

export function table<const C extends readonly ColumnDef[]>(def: TableDef<C>): TableDef<C> {
  return def;
}

/** JS value of a column in row objects. TIMESTAMP is an ISO-8601 UTC string (…Z). */
export type JsValue<T extends ColumnType> = T extends 'VARCHAR' | 'TIMESTAMP'
  ? string
  : T extends 'BIGINT' | 'INTEGER' | 'DOUBLE'
    ? number
    : T extends 'BOOLEAN'
      ? boolean
      : T extends 'VARCHAR[]'
        ? string[]
        : T extends 'INTEGER[]'
          ? number[]
          : never;

type ColValue<C> =
  C extends ColumnDef<string, infer T, infer Null> ? (Null extends false ? JsValue<T> : JsValue<T> | null) : never;

/** The row object type of a table, derived from its definition. */
export type Row<D extends TableDef> = {
  [C in D['columns'][number] as C['name']]: ColValue<C>;
};
