// The AST of DynamoDB's PartiQL subset: four statements (and EXISTS inside transactions), and
// the expressions their clauses hold. The parser builds it; the translator reads it.

/** One step of a document path after its root: `.name`, `."name"`, `['name']` or `[3]`. */
export type PathStep = { kind: 'field'; name: string } | { kind: 'index'; index: number };

/** A document path: a top-level attribute and the steps into it (`a.b[1].c`). */
export interface Path {
  root: string;
  steps: PathStep[];
}

export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** Operators PartiQL parses that DynamoDB refuses in expressions (named in its error texts). */
export type UnsupportedOperator = '*' | '/' | '%' | '||' | 'like' | '-';

export type Expr =
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'missing' }
  /** `?`, numbered from 1 in the order the statement holds them. */
  | { kind: 'parameter'; position: number }
  | { kind: 'path'; path: Path }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'bag'; items: Expr[] }
  | { kind: 'struct'; fields: { name: Expr; value: Expr }[] }
  | { kind: 'compare'; op: ComparisonOperator; left: Expr; right: Expr }
  | { kind: 'arithmetic'; op: '+' | '-'; left: Expr; right: Expr }
  /** An operator DynamoDB refuses; unary minus on a non-number is `-` with one operand. */
  | { kind: 'unsupported'; op: UnsupportedOperator; operands: Expr[] }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'between'; operand: Expr; low: Expr; high: Expr; negated: boolean }
  | { kind: 'in'; operand: Expr; list: Expr; negated: boolean }
  | { kind: 'is'; operand: Expr; type: string; negated: boolean }
  /** A function call; PartiQL lower-cases function names. */
  | { kind: 'call'; name: string; args: Expr[] };

/** The FROM (or INTO / UPDATE) target: a table, or a table and an index (`"t"."i"`). */
export interface Source {
  /** The path's components; DynamoDB checks their number and names after parsing. */
  components: Expr;
  /** `AS x`, `x`, `AT x` or `BY x`: parsed so DynamoDB's text can refuse it. */
  aliased: boolean;
}

export type ProjectionItem = { kind: 'star' } | { kind: 'expr'; expr: Expr; aliased: boolean };

export interface OrderSpec {
  expr: Expr;
  descending: boolean;
}

/** RETURNING (ALL | MODIFIED) (OLD | NEW) *. */
export interface Returning {
  mapping: 'ALL_OLD' | 'ALL_NEW' | 'MODIFIED_OLD' | 'MODIFIED_NEW';
  /** The `*`; anything else is refused after parsing with DynamoDB's text. */
  star: boolean;
  /** More than one returning element. */
  multiple: boolean;
}

export interface SelectStatement {
  kind: 'select';
  /** `SELECT VALUE x` (refused), `SELECT DISTINCT` (refused). */
  value: boolean;
  distinct: boolean;
  projection: ProjectionItem[];
  from: Source;
  where?: Expr;
  orderBy?: OrderSpec[];
  /** The first unsupported clause met (GROUP BY, HAVING, LIMIT), refused by name. */
  unsupportedClause?: string;
}

export interface InsertStatement {
  kind: 'insert';
  target: Expr;
  /** The item; undefined for `INSERT INTO t <bag>` (several items, refused). */
  value?: Expr;
  many: boolean;
  at: boolean;
  onConflict: boolean;
  returning?: Returning;
}

export type UpdateAction = { kind: 'set'; target: Expr; value: Expr } | { kind: 'remove'; target: Expr };

export interface UpdateStatement {
  kind: 'update';
  source: Source;
  actions: UpdateAction[];
  where?: Expr;
  returning?: Returning;
}

export interface DeleteStatement {
  kind: 'delete';
  source: Source;
  where?: Expr;
  returning?: Returning;
}

/** EXISTS(SELECT ...): a condition check, only inside ExecuteTransaction. */
export interface ExistsStatement {
  kind: 'exists';
  select: SelectStatement;
}

export type Statement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement;

/** A parsed statement and how many `?` parameters it holds. */
export interface ParsedStatement {
  statement: Statement;
  parameterCount: number;
}
