// ConsumedCapacity of a statement that ran several operations (the Queries of an IN list, the
// members of a batch): the operations report it per table with index detail (INDEXES), and it
// is summed here and shaped the way the client asked (TOTAL drops the per-index detail).

type Element = Record<string, unknown>;

const detailFields = ['Table', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes'];

/** Sums ConsumedCapacity elements per table, in the order tables were first seen. */
export class CapacityTotals {
  private readonly tables = new Map<string, Element>();

  add(element: unknown): void {
    if (element === undefined || element === null) return;
    for (const item of Array.isArray(element) ? element : [element]) {
      const entry = item as Element;
      const tableName = entry.TableName as string;
      const known = this.tables.get(tableName);
      this.tables.set(tableName, known === undefined ? structuredClone(entry) : sum(known, entry));
    }
  }

  /** One table's element, shaped for `mode`; undefined when not asked for. */
  single(mode: unknown, tableName: string): Element | undefined {
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
    return shape(this.tables.get(tableName) ?? { TableName: tableName, CapacityUnits: 0 }, mode);
  }

  /** Every table's element, shaped for `mode`; undefined when not asked for. */
  list(mode: unknown): Element[] | undefined {
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
    return [...this.tables.values()].map((element) => shape(element, mode));
  }
}

function sum(a: Element, b: Element): Element {
  const out: Element = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const mine = out[key];
    if (typeof value === 'number') out[key] = (typeof mine === 'number' ? mine : 0) + value;
    else if (value !== null && typeof value === 'object') out[key] = sum((mine ?? {}) as Element, value as Element);
    else out[key] = value;
  }
  return out;
}

function shape(element: Element, mode: 'TOTAL' | 'INDEXES'): Element {
  if (mode === 'INDEXES') return element;
  const out: Element = {};
  for (const [key, value] of Object.entries(element)) if (!detailFields.includes(key)) out[key] = value;
  return out;
}
