// PartiQL's reserved words (partiql-lang-kotlin's lexer: SQL-92's reserved words plus
// PartiQL's own). An unquoted reserved word is a keyword, never an attribute or table name:
// DynamoDB answers `WHERE key = 1` with "Unexpected keyword"; `"key"` must be quoted.
const reserved = `
absolute action add all allocate alter and any are as asc assertion at authorization avg
begin between bit bit_length by cascade cascaded case cast catalog char character
character_length char_length check close coalesce collate collation column commit connect
connection constraint constraints continue convert corresponding count create cross current
current_date current_time current_timestamp current_user cursor date day deallocate dec
decimal declare default deferrable deferred delete desc describe descriptor diagnostics
disconnect distinct domain double drop else end end-exec escape except exception exec execute
exists external extract date_add date_diff false fetch first float for foreign found from full
get global go goto grant group having hour identity immediate in indicator initially inner
input insensitive insert int integer intersect interval into is isolation join key language
last leading left level like limit local lower match max min minute module month names
national natural nchar next no not null nullif numeric octet_length of on only open option
or order outer output overlaps pad partial position precision prepare preserve primary prior
privileges procedure public read real references relative restrict revoke right rollback rows
schema scroll second section select session session_user set size smallint some space sql
sqlcode sqlerror sqlstate substring sum system_user table temporary then time timestamp to
trailing transaction translate translation trim true union unique unknown update upper usage
user using value values view when whenever where with work write year zone
missing pivot unpivot remove index conflict do nothing returning modified new old let
bool boolean string symbol clob blob struct tuple list sexp bag
`;

export const reservedWords: ReadonlySet<string> = new Set(reserved.split(/\s+/).filter((word) => word.length > 0));

/** Reserved words that may still name a function when a `(` follows (`size(a)`, `exists(...)`). */
export const functionKeywords: ReadonlySet<string> = new Set([
  'size', 'exists', 'count', 'upper', 'lower', 'substring', 'trim', 'extract', 'cast', 'coalesce', 'nullif', 'date_add', 'date_diff',
  'list', 'bag', 'sexp', 'avg', 'max', 'min', 'sum', 'char_length', 'character_length', 'octet_length', 'bit_length',
]);
