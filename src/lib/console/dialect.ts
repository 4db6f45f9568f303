// DuckDB for CodeMirror: a SQL dialect (PostgreSQL's lexer plus DuckDB's words) and schema-aware completion.
import { SQLDialect, PostgreSQL, keywordCompletionSource, schemaCompletionSource, type SQLNamespace } from '@codemirror/lang-sql';
import { syntaxTree } from '@codemirror/language';
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import type { TableDef } from '../schema/types.ts';
import { tableMentions } from './auto-run.ts';

// DuckDB keywords PostgreSQL's list lacks; types and common functions are highlighted as such.
const DUCKDB_KEYWORDS =
  'qualify pivot unpivot pivot_wider pivot_longer summarize describe asof positional anti semi glob exclude replace columns ' +
  'struct map list union_by_name sample tablesample reservoir bernoulli system macro install load attach detach pragma ' +
  'force checkpoint export import ilike similar';
const DUCKDB_TYPES =
  'tinyint utinyint usmallint uinteger ubigint hugeint uhugeint blob varint bitstring enum union timestamp_s timestamp_ms ' +
  'timestamp_ns date time timestamptz string int1 int16 int32 int64 int128 float4 float8 double';
const DUCKDB_BUILTINS =
  'count sum avg min max median mode quantile quantile_cont quantile_disc stddev stddev_samp stddev_pop variance var_samp ' +
  'var_pop arg_max arg_min any_value first last list array_agg string_agg group_concat histogram approx_count_distinct ' +
  'bool_and bool_or corr covar_pop regr_slope row_number rank dense_rank percent_rank cume_dist ntile lag lead ' +
  'first_value last_value nth_value coalesce ifnull nullif greatest least abs round floor ceil ln log log10 log2 exp sqrt ' +
  'power pow lower upper length strlen trim ltrim rtrim substr substring replace regexp_matches regexp_replace ' +
  'regexp_extract regexp_extract_all contains starts_with ends_with prefix suffix split_part string_split str_split ' +
  'concat concat_ws format printf strftime strptime date_trunc date_part datepart date_diff datediff epoch epoch_ms ' +
  'make_timestamp make_date to_timestamp current_date now today unnest list_contains list_has list_has_any ' +
  'list_distinct list_sort list_value list_filter list_transform list_aggregate list_slice len array_length ' +
  'struct_pack struct_extract map_keys map_values typeof cast try_cast hash md5 generate_series range';

/** DuckDB as CodeMirror sees it: PostgreSQL's tokenizer ($$ strings, :: casts) with DuckDB's extra words. */
export const DuckDB: SQLDialect = SQLDialect.define({
  ...PostgreSQL.spec,
  keywords: `${PostgreSQL.spec.keywords ?? ''} ${DUCKDB_KEYWORDS}`,
  types: `${PostgreSQL.spec.types ?? ''} ${DUCKDB_TYPES}`,
  builtin: DUCKDB_BUILTINS,
});

export interface TableInfo {
  readonly def: TableDef;
  /** Rows in the published file, when the manifest lists it. */
  readonly rows: number | null;
}

const rowsText = (n: number | null) => (n === null ? 'not published' : `${n.toLocaleString('en-US')} rows`);

/** lang-sql's schema for table completion and `table.` / `alias.` column completion, with types and descriptions. */
export function completionSchema(tables: readonly TableInfo[]): SQLNamespace {
  const ns: Record<string, SQLNamespace> = {};
  for (const { def, rows } of tables) {
    ns[def.name] = {
      self: { label: def.name, type: 'type', detail: rowsText(rows), info: def.description },
      children: def.columns.map((c) => ({ label: c.name, type: 'property', detail: c.type, info: c.description })),
    };
  }
  return ns;
}

/**
 * Unqualified column names (`SELECT sco|`) from the tables the query already names, or from every table before
 * it names one; lang-sql alone completes columns only after `table.`.
 */
export function columnCompletionSource(tables: readonly TableInfo[]): CompletionSource {
  const byName = new Map(tables.map((t) => [t.def.name, t]));
  const sizes = Object.fromEntries(tables.map((t) => [t.def.name, { rows: t.rows ?? 0 }]));
  return (ctx: CompletionContext): CompletionResult | null => {
    const word = ctx.matchBefore(/[A-Za-z_][\w$]*/);
    if (!word && !ctx.explicit) return null;
    const from = word?.from ?? ctx.pos;
    if (ctx.state.sliceDoc(from - 1, from) === '.') return null;
    const mentioned = [...tableMentions(ctx.state.doc.toString(), sizes).keys()];
    const named = mentioned.length > 0 ? mentioned : [...byName.keys()];
    const options: Completion[] = [];
    const seen = new Map<string, Completion>();
    for (const name of named) {
      for (const c of byName.get(name)?.def.columns ?? []) {
        const prev = seen.get(c.name);
        if (prev) {
          // The same column in two tables: one option that says so.
          (prev as { detail?: string }).detail = `${prev.detail ?? ''}, ${name}`.replace(/^(.{60}).+$/, '$1…');
          continue;
        }
        // Columns of the named tables rank above keywords; before a table is named, below them.
        const option: Completion = { label: c.name, type: 'property', detail: `${c.type} · ${name}`, info: c.description, boost: mentioned.length > 0 ? 1 : -1 };
        seen.set(c.name, option);
        options.push(option);
      }
    }
    return { from, options, validFor: /^[\w$]*$/ };
  };
}

/** Tokens no completion may touch: what the reader types there is a value, not a name. */
const LITERALS = new Set(['Number', 'String', 'Bits', 'Bytes', 'LineComment', 'BlockComment']);

/**
 * The source, silent while the reader types a number, a string or a comment (`LIMIT 10` must not become
 * `LIMIT LOG10`: the keyword list fuzzy-matches digits). A word that starts with a digit is a number.
 */
export function outsideLiterals(source: CompletionSource): CompletionSource {
  return (ctx: CompletionContext) => {
    const node = syntaxTree(ctx.state).resolveInner(ctx.pos, -1);
    if (LITERALS.has(node.name)) return null;
    const word = ctx.matchBefore(/[\w$.]+/);
    if (word && /^[\d.]/.test(word.text) && /\d/.test(word.text)) return null;
    return source(ctx);
  };
}

/**
 * Every completion source of the console (keywords, tables and `table.` columns from lang-sql, unqualified columns),
 * each kept out of numbers, strings and comments.
 */
export function consoleCompletionSources(tables: readonly TableInfo[]): CompletionSource[] {
  return [
    keywordCompletionSource(DuckDB, true),
    schemaCompletionSource({ dialect: DuckDB, schema: completionSchema(tables) }),
    columnCompletionSource(tables),
  ].map(outsideLiterals);
}
