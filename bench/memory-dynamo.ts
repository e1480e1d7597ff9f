// An in-memory stand-in for the DynamoDB document client, for `npm run bench:calendar`: the real repositories send
// their commands to it unchanged, and it meters every call the way DynamoDB on-demand bills it (from item sizes).
// Dynalite takes about 580 of the nightly's held-value writes a second on this machine against some 37,000 here
// (`npm run bench:store`), so a simulated quarter at design scale would take days on it; this keeps the adapters
// real and only the storage engine in memory. Expressions it does not know throw loudly.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ALL_TABLES, type TableDefinition } from '../lambdas/shared/tables';

type Item = Record<string, unknown>;
type Values = Record<string, unknown>;
type Names = Record<string, string>;
// biome-ignore lint/suspicious/noExplicitAny: every command's input through one reader; the store checks what it uses
type Loose = any;

/** Billed units, split by table: WRU per 1 KB written, RRU per 4 KB read (half for eventually consistent reads). */
export interface Capacity {
  read: number;
  write: number;
  byTable: Record<string, { read: number; write: number }>;
}

// ---- sizes, as DynamoDB counts them --------------------------------------------------------------------------

function valueSize(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') {
    // Whole numbers (the common case) without the string work: significant digits of the integer.
    if (Number.isSafeInteger(v)) {
      let n = Math.abs(v);
      while (n !== 0 && n % 10 === 0) n /= 10;
      let digits = 1;
      while (n >= 10) {
        n = Math.floor(n / 10);
        digits += 1;
      }
      return Math.ceil(digits / 2) + 1;
    }
    const digits =
      String(Math.abs(v))
        .replace(/[.e+-]/g, '')
        .replace(/^0+/, '').length || 1;
    return Math.ceil(digits / 2) + 1;
  }
  if (v instanceof Set) return [...v].reduce((n: number, x) => n + valueSize(x), 0);
  if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + 1 + valueSize(x), 0);
  if (typeof v === 'object')
    return 3 + Object.entries(v as Item).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + valueSize(x), 0);
  return Buffer.byteLength(String(v));
}

// Stored items are frozen (below), so an item's size is worked out once.
const sizes = new WeakMap<Item, number>();

export const itemSize = (item: Item | undefined): number => {
  if (!item) return 0;
  const known = sizes.get(item);
  if (known !== undefined) return known;
  const size = Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + valueSize(v), 0);
  if (Object.isFrozen(item)) sizes.set(item, size);
  return size;
};

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const readUnits = (bytes: number, consistent: boolean) => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

// ---- expressions ------------------------------------------------------------------------------------------------

const TOKEN = /\s*(<>|<=|>=|[=<>(),+-]|#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*)/y;

// The repositories send a handful of distinct expressions millions of times: tokenize each text once.
const tokenCache = new Map<string, string[]>();

function tokenize(text: string): string[] {
  const cached = tokenCache.get(text);
  if (cached) return cached;
  const out = tokenizeText(text);
  tokenCache.set(text, out);
  return out;
}

function tokenizeText(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m)
      throw new Error(`memory-dynamo: cannot read expression near ${JSON.stringify(text.slice(TOKEN.lastIndex))}`);
    out.push(m[1]!);
  }
  return out;
}

type Operand =
  | { kind: 'path'; name: string }
  | { kind: 'value'; placeholder: string }
  | { kind: 'fn'; fn: string; args: Operand[] };

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: string[],
    private readonly names: Names,
  ) {}
  peek = () => this.tokens[this.i];
  next = () => this.tokens[this.i++];
  done = () => this.i >= this.tokens.length;
  expect(t: string) {
    const got = this.next();
    if (got?.toUpperCase() !== t) throw new Error(`memory-dynamo: expected ${t}, got ${got}`);
  }
  isKeyword = (t: string) => this.peek()?.toUpperCase() === t;

  operand(): Operand {
    const t = this.next();
    if (t === undefined) throw new Error('memory-dynamo: expression ends early');
    if (t.startsWith(':')) return { kind: 'value', placeholder: t };
    if (this.peek() === '(') {
      this.next();
      const args: Operand[] = [];
      while (this.peek() !== ')') {
        args.push(this.operand());
        if (this.peek() === ',') this.next();
      }
      this.next();
      return { kind: 'fn', fn: t, args };
    }
    const name = t.startsWith('#') ? this.names[t] : t;
    if (name === undefined) throw new Error(`memory-dynamo: no name for ${t}`);
    return { kind: 'path', name };
  }

  /** A value expression of SET: operand [+|- operand]. */
  setValue(): Operand {
    const left = this.operand();
    if (this.peek() === '+' || this.peek() === '-') {
      const op = this.next()!;
      return { kind: 'fn', fn: op, args: [left, this.operand()] };
    }
    return left;
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('OR')) {
      this.next();
      const a = left;
      const b = this.conjunction();
      left = (item, v) => a(item, v) || b(item, v);
    }
    return left;
  }
  private conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('AND')) {
      this.next();
      const a = left;
      const b = this.negation();
      left = (item, v) => a(item, v) && b(item, v);
    }
    return left;
  }
  private negation(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      const inner = this.negation();
      return (item, v) => !inner(item, v);
    }
    if (this.peek() === '(') {
      this.next();
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    const left = this.operand();
    if (left.kind === 'fn' && ['attribute_exists', 'attribute_not_exists', 'begins_with', 'contains'].includes(left.fn))
      return (item, v) => Boolean(evaluate(left, item, v));
    const op = this.next();
    if (op?.toUpperCase() === 'BETWEEN') {
      const lo = this.operand();
      this.expect('AND');
      const hi = this.operand();
      return (item, v) =>
        compare(evaluate(left, item, v), evaluate(lo, item, v)) >= 0 &&
        compare(evaluate(left, item, v), evaluate(hi, item, v)) <= 0;
    }
    const right = this.operand();
    return (item, v) => {
      const a = evaluate(left, item, v);
      const b = evaluate(right, item, v);
      if (op === '=') return a !== undefined && equal(a, b);
      if (op === '<>') return a === undefined || !equal(a, b);
      if (a === undefined || b === undefined || typeof a !== typeof b) return false;
      const c = compare(a, b);
      if (op === '<') return c < 0;
      if (op === '<=') return c <= 0;
      if (op === '>') return c > 0;
      if (op === '>=') return c >= 0;
      throw new Error(`memory-dynamo: unknown comparison ${op}`);
    };
  }
}

const equal = (a: unknown, b: unknown) =>
  a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
const compare = (a: unknown, b: unknown): number =>
  (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;

function evaluate(o: Operand, item: Item, v: Values): unknown {
  if (o.kind === 'value') {
    if (!(o.placeholder in v)) throw new Error(`memory-dynamo: no value for ${o.placeholder}`);
    return v[o.placeholder];
  }
  if (o.kind === 'path') return item[o.name];
  const [a, b] = o.args;
  switch (o.fn) {
    case 'attribute_exists':
      return evaluate(a!, item, v) !== undefined;
    case 'attribute_not_exists':
      return evaluate(a!, item, v) === undefined;
    case 'begins_with': {
      const s = evaluate(a!, item, v);
      return typeof s === 'string' && s.startsWith(String(evaluate(b!, item, v)));
    }
    case 'contains': {
      const s = evaluate(a!, item, v);
      const x = evaluate(b!, item, v);
      return typeof s === 'string'
        ? s.includes(String(x))
        : s instanceof Set
          ? s.has(x)
          : Array.isArray(s) && s.includes(x);
    }
    case 'if_not_exists':
      return evaluate(a!, item, v) ?? evaluate(b!, item, v);
    case 'list_append':
      return [...((evaluate(a!, item, v) as unknown[]) ?? []), ...((evaluate(b!, item, v) as unknown[]) ?? [])];
    case 'size': {
      const x = evaluate(a!, item, v);
      return typeof x === 'string'
        ? x.length
        : Array.isArray(x)
          ? x.length
          : x instanceof Set
            ? x.size
            : itemSize(x as Item);
    }
    case '+':
      return Number(evaluate(a!, item, v)) + Number(evaluate(b!, item, v));
    case '-':
      return Number(evaluate(a!, item, v)) - Number(evaluate(b!, item, v));
    default:
      throw new Error(`memory-dynamo: unknown function ${o.fn}`);
  }
}

function applyUpdate(text: string, names: Names, v: Values, item: Item): void {
  const p = new Parser(tokenize(text), names);
  while (!p.done()) {
    const clause = p.next()!.toUpperCase();
    do {
      if (p.peek() === ',') p.next();
      const target = p.operand();
      if (target.kind !== 'path') throw new Error('memory-dynamo: update target must be an attribute');
      if (clause === 'SET') {
        p.expect('=');
        item[target.name] = evaluate(p.setValue(), item, v);
      } else if (clause === 'REMOVE') {
        delete item[target.name];
      } else if (clause === 'ADD' || clause === 'DELETE') {
        const x = evaluate(p.operand(), item, v);
        const cur = item[target.name];
        if (typeof x === 'number') item[target.name] = (clause === 'ADD' ? 1 : -1) * x + ((cur as number) ?? 0);
        else if (x instanceof Set) {
          const set = new Set(cur instanceof Set ? cur : []);
          for (const e of x) clause === 'ADD' ? set.add(e) : set.delete(e);
          item[target.name] = set;
        } else throw new Error(`memory-dynamo: ${clause} needs a number or a set`);
      } else throw new Error(`memory-dynamo: unknown update clause ${clause}`);
    } while (p.peek() === ',');
  }
}

type Condition = (item: Item, values: Values) => boolean;

// Compiled once per expression and names (the repositories reuse a few), applied to each call's values.
const conditionCache = new Map<string, Condition>();

function conditionOf(text: string | undefined, names: Names = {}, values: Values = {}): (item: Item) => boolean {
  if (!text) return () => true;
  const key = `${text}\u0000${JSON.stringify(names)}`;
  let compiled = conditionCache.get(key);
  if (!compiled) {
    compiled = new Parser(tokenize(text), names).condition();
    conditionCache.set(key, compiled);
  }
  const c = compiled;
  return (item) => c(item, values);
}

// ---- tables -----------------------------------------------------------------------------------------------------

class Table {
  readonly partitions = new Map<string, { items: Map<string, Item>; sorted?: string[] }>();
  constructor(readonly def: TableDefinition) {}

  keyOf(key: Item): [string, string] {
    const pk = key[this.def.partitionKey.name];
    if (pk === undefined) throw new Error(`memory-dynamo: ${this.def.id} key lacks ${this.def.partitionKey.name}`);
    const sk = this.def.sortKey ? key[this.def.sortKey.name] : '';
    return [String(pk), String(sk)];
  }
  get(key: Item): Item | undefined {
    const [pk, sk] = this.keyOf(key);
    return this.partitions.get(pk)?.items.get(sk);
  }
  put(item: Item): void {
    const [pk, sk] = this.keyOf(item);
    let part = this.partitions.get(pk);
    if (!part) {
      part = { items: new Map() };
      this.partitions.set(pk, part);
    }
    if (!part.items.has(sk)) part.sorted = undefined;
    part.items.set(sk, item);
  }
  delete(key: Item): void {
    const [pk, sk] = this.keyOf(key);
    const part = this.partitions.get(pk);
    if (part?.items.delete(sk)) part.sorted = undefined;
  }
  sortedItems(pk: string): Item[] {
    const part = this.partitions.get(pk);
    if (!part) return [];
    return this.sortedKeys(part).map((k) => part.items.get(k)!);
  }
  sortedKeys(part: { items: Map<string, Item>; sorted?: string[] }): string[] {
    part.sorted ??= [...part.items.keys()].sort(cmpKey(this.def.sortKey?.type));
    return part.sorted;
  }
  /**
   * A forward query's page in one partition without reading the whole partition: a sort-key condition selects a
   * contiguous run of keys, so the page starts at a binary search for its lower bound (or after the start key)
   * and ends at the first key past the range or at the limit. `more`: a matching item follows the page.
   */
  rangePage(
    pk: string,
    lower: { value: string; inclusive: boolean } | undefined,
    after: string | undefined,
    matches: (item: Item) => boolean,
    limit: number,
  ): { page: Item[]; more: boolean } {
    const part = this.partitions.get(pk);
    if (!part) return { page: [], more: false };
    const keys = this.sortedKeys(part);
    const cmp = cmpKey(this.def.sortKey?.type);
    const firstNotBelow = (v: string, strict: boolean) => {
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const c = cmp(keys[mid]!, v);
        if (c < 0 || (strict && c === 0)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    let i = lower ? firstNotBelow(lower.value, !lower.inclusive) : 0;
    if (after !== undefined) i = Math.max(i, firstNotBelow(after, true));
    const page: Item[] = [];
    for (; i < keys.length; i++) {
      const item = part.items.get(keys[i]!)!;
      if (!matches(item)) return { page, more: false };
      if (page.length === limit) return { page, more: true };
      page.push(item);
    }
    return { page, more: false };
  }
  /**
   * Extra write units for the global indexes the item appears in (sparse indexes: only items with the key): an
   * item that stays under the same index key is one write to the index, one whose index key changed (or that
   * enters or leaves it) is a delete and a put there, as DynamoDB bills index writes.
   */
  indexWrites(before: Item | undefined, after: Item | undefined): number {
    let units = 0;
    for (const index of this.def.globalIndexes ?? []) {
      const keys = [index.partitionKey.name, ...(index.sortKey ? [index.sortKey.name] : [])];
      const inIndex = (i: Item | undefined): i is Item => i !== undefined && i[index.partitionKey.name] !== undefined;
      if (inIndex(before) && inIndex(after) && keys.every((k) => before[k] === after[k])) {
        units += writeUnits(Math.max(itemSize(before), itemSize(after)));
        continue;
      }
      if (inIndex(before)) units += writeUnits(itemSize(before));
      if (inIndex(after)) units += writeUnits(itemSize(after));
    }
    return units;
  }
}

const cmpKey = (type: string | undefined) => (a: string, b: string) =>
  type === 'N' ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0;

/**
 * A stored item, frozen all the way down: reads hand it out without a copy (a caller that changed it would throw,
 * loudly, where DynamoDB would have given it its own copy).
 */
function frozen<T>(v: T): T {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return v;
  if (v instanceof Set) return Object.freeze(v);
  for (const k in v as Item) frozen((v as Item)[k]);
  return Object.freeze(v);
}

/** A deep copy of an item (plain objects, arrays, Sets, primitives): what structuredClone does, faster. */
function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  if (v instanceof Set) return new Set([...v].map(clone)) as T;
  const out: Item = {};
  for (const k in v as Item) out[k] = clone((v as Item)[k]);
  return out as T;
}

function conditionFailed(): never {
  throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

/** The document client's `send`, in memory: Get, Put, Update, Delete, Query, BatchWrite, BatchGet, TransactWrite. */
export class MemoryDynamo {
  private readonly tables = new Map<string, Table>();
  readonly capacity: Capacity = { read: 0, write: 0, byTable: {} };
  calls = 0;

  /**
   * `meterAs`: the name a write is counted under in `capacity.byTable` (by default its table's id), so a bench can
   * tell apart items of one table that cost for different reasons.
   */
  constructor(
    tableNames: Record<string, string>,
    private readonly meterAs: (tableId: string, item: Item) => string = (tableId) => tableId,
  ) {
    for (const def of ALL_TABLES) {
      const name = tableNames[def.envVar];
      if (name) this.tables.set(name, new Table(def));
    }
  }

  /** A real document client (the SDK's paginators check its class) whose `send` is this store's. */
  documentClient(): DynamoDBDocumentClient {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    doc.send = ((command: never) => this.send(command)) as never;
    return doc;
  }

  private table(name: string | undefined): Table {
    const t = name ? this.tables.get(name) : undefined;
    if (!t) throw new Error(`memory-dynamo: no table ${name}`);
    return t;
  }
  private bill(table: Table, kind: 'read' | 'write', units: number, item?: Item): void {
    this.capacity[kind] += units;
    const name = item ? this.meterAs(table.def.id, item) : table.def.id;
    const entry = this.capacity.byTable[name] ?? { read: 0, write: 0 };
    entry[kind] += units;
    this.capacity.byTable[name] = entry;
  }

  /** Bytes stored per table (for the storage line of the cost estimate). */
  storedBytes(): Record<string, number> {
    const out: Record<string, number> = { ...this.archivedBytes };
    for (const t of this.tables.values()) {
      let bytes = 0;
      for (const part of t.partitions.values()) for (const item of part.items.values()) bytes += itemSize(item) + 100;
      out[t.def.id] = (out[t.def.id] ?? 0) + bytes;
    }
    return out;
  }

  private readonly archivedBytes: Record<string, number> = {};

  /**
   * Lets go of a table's items that nothing will read again (a finished night's receipts), keeping their bytes for
   * `storedBytes`: a quarter's receipts would otherwise fill the heap and the collector's time.
   */
  archive(tableId: string): void {
    for (const t of this.tables.values()) {
      if (t.def.id !== tableId) continue;
      let bytes = 0;
      for (const part of t.partitions.values()) for (const item of part.items.values()) bytes += itemSize(item) + 100;
      this.archivedBytes[tableId] = (this.archivedBytes[tableId] ?? 0) + bytes;
      t.partitions.clear();
    }
  }

  async send(command: { input: Record<string, unknown>; constructor: { name: string } }): Promise<unknown> {
    this.calls += 1;
    const input = command.input as Record<string, Loose>;
    switch (command.constructor.name) {
      case 'GetCommand': {
        const t = this.table(input.TableName);
        const item = t.get(input.Key);
        this.bill(t, 'read', readUnits(itemSize(item), input.ConsistentRead === true));
        return { Item: item };
      }
      case 'PutCommand':
        return this.write(input, 'put');
      case 'UpdateCommand':
        return this.write(input, 'update');
      case 'DeleteCommand':
        return this.write(input, 'delete');
      case 'QueryCommand':
        return this.query(input);
      case 'BatchWriteCommand': {
        for (const [name, requests] of Object.entries(input.RequestItems as Record<string, Loose[]>)) {
          for (const r of requests) {
            if (r.PutRequest) this.write({ TableName: name, Item: r.PutRequest.Item }, 'put');
            else this.write({ TableName: name, Key: r.DeleteRequest.Key }, 'delete');
          }
        }
        return { UnprocessedItems: {} };
      }
      case 'BatchGetCommand': {
        const Responses: Record<string, Item[]> = {};
        for (const [name, spec] of Object.entries(input.RequestItems as Record<string, Loose>)) {
          const t = this.table(name);
          Responses[name] = [];
          for (const key of spec.Keys) {
            const item = t.get(key);
            this.bill(t, 'read', readUnits(itemSize(item), spec.ConsistentRead === true));
            if (item) Responses[name].push(item);
          }
        }
        return { Responses, UnprocessedKeys: {} };
      }
      case 'TransactWriteCommand': {
        // Check every condition first (all or nothing), then write; transactions bill twice.
        const steps = (input.TransactItems as Loose[]).map((s) => {
          const [kind, spec] = Object.entries(s)[0] as [string, Loose];
          return { kind, spec };
        });
        for (const { spec } of steps) {
          const t = this.table(spec.TableName);
          const current = t.get(spec.Key ?? spec.Item) ?? {};
          const ok = conditionOf(
            spec.ConditionExpression,
            spec.ExpressionAttributeNames,
            spec.ExpressionAttributeValues,
          );
          if (!ok(current)) conditionFailed();
        }
        const before = this.capacity.write;
        for (const { kind, spec } of steps) {
          if (kind === 'Put') this.write(spec, 'put');
          else if (kind === 'Update') this.write(spec, 'update');
          else if (kind === 'Delete') this.write(spec, 'delete');
        }
        this.capacity.write += this.capacity.write - before;
        return {};
      }
      default:
        throw new Error(`memory-dynamo: ${command.constructor.name} is not supported`);
    }
  }

  private write(input: Record<string, Loose>, kind: 'put' | 'update' | 'delete'): unknown {
    const t = this.table(input.TableName);
    const key = kind === 'put' ? input.Item : input.Key;
    const before = t.get(key);
    const ok = conditionOf(input.ConditionExpression, input.ExpressionAttributeNames, input.ExpressionAttributeValues);
    if (!ok(before ?? {})) {
      this.bill(t, 'write', writeUnits(itemSize(before)));
      conditionFailed();
    }
    let after: Item | undefined;
    if (kind === 'put') after = frozen(clone(input.Item));
    else if (kind === 'update') {
      after = before ? clone(before) : clone(input.Key);
      applyUpdate(
        input.UpdateExpression,
        input.ExpressionAttributeNames ?? {},
        input.ExpressionAttributeValues ?? {},
        after!,
      );
      after = frozen(after);
    }
    this.bill(
      t,
      'write',
      writeUnits(Math.max(itemSize(before), itemSize(after))) + t.indexWrites(before, after),
      after ?? before ?? key,
    );
    if (after) t.put(after);
    else t.delete(key);
    if (input.ReturnValues === 'ALL_NEW') return { Attributes: after };
    // UPDATED_NEW: the whole new item stands in for the updated attributes (callers read the ones they set).
    if (input.ReturnValues === 'UPDATED_NEW') return { Attributes: after };
    if (input.ReturnValues === 'ALL_OLD') return { Attributes: before };
    return {};
  }

  /** A forward base-table query: the page found by binary search, billed for what it read (before the filter). */
  private forwardQuery(
    t: Table,
    input: Record<string, Loose>,
    pk: string,
    keyCondition: (item: Item) => boolean,
    filter: (item: Item) => boolean,
  ): unknown {
    const names: Names = input.ExpressionAttributeNames ?? {};
    const values: Values = input.ExpressionAttributeValues ?? {};
    const skName = t.def.sortKey?.name;
    const after = input.ExclusiveStartKey && skName !== undefined ? String(input.ExclusiveStartKey[skName]) : undefined;
    const { page, more } = t.rangePage(
      pk,
      sortKeyLower(t.def, input.KeyConditionExpression, names, values),
      after,
      keyCondition,
      input.Limit ?? Number.POSITIVE_INFINITY,
    );
    const bytes = page.reduce((n, i) => n + itemSize(i), 0);
    this.bill(t, 'read', readUnits(bytes, input.ConsistentRead === true));
    const items = page.filter(filter);
    const last = page.at(-1);
    return {
      Items: items,
      Count: items.length,
      ...(more && last && { LastEvaluatedKey: { ...pickKey(t.def, last) } }),
    };
  }

  private query(input: Record<string, Loose>): unknown {
    const t = this.table(input.TableName);
    const names: Names = input.ExpressionAttributeNames ?? {};
    const values: Values = input.ExpressionAttributeValues ?? {};
    const keyCondition = conditionOf(input.KeyConditionExpression, names, values);
    const filter = conditionOf(input.FilterExpression, names, values);
    const index = input.IndexName ? t.def.globalIndexes?.find((i) => i.indexName === input.IndexName) : undefined;
    if (input.IndexName && !index) throw new Error(`memory-dynamo: no index ${input.IndexName}`);

    let candidates: Item[];
    if (index) {
      // Indexes are small here (sparse): scan and sort, no paging.
      candidates = [];
      for (const part of t.partitions.values())
        for (const item of part.items.values()) if (keyCondition(item)) candidates.push(item);
      const sk = index.sortKey?.name;
      if (sk) candidates.sort((a, b) => compare(a[sk], b[sk]));
    } else {
      const pkName = t.def.partitionKey.name;
      const pkToken = Object.entries(names).find(([, n]) => n === pkName)?.[0] ?? pkName;
      const m = new RegExp(`(?:^|\\s|\\()${pkToken}\\s*=\\s*(:[A-Za-z0-9_]+)`).exec(input.KeyConditionExpression);
      if (!m) throw new Error(`memory-dynamo: query on ${t.def.id} without ${pkName} = :value`);
      const pk = String(values[m[1]!]);
      if (input.ScanIndexForward !== false) return this.forwardQuery(t, input, pk, keyCondition, filter);
      candidates = t.sortedItems(pk).filter(keyCondition);
    }
    if (input.ScanIndexForward === false) candidates = candidates.slice().reverse();
    let start = 0;
    if (input.ExclusiveStartKey && !index) {
      const skName = t.def.sortKey?.name;
      const after = skName ? input.ExclusiveStartKey[skName] : undefined;
      start = candidates.findIndex((i) => skName !== undefined && i[skName] === after) + 1;
    }
    const limit = index ? candidates.length : (input.Limit ?? Number.POSITIVE_INFINITY);
    const page = candidates.slice(start, start + limit);
    const more = start + page.length < candidates.length;
    const bytes = page.reduce((n, i) => n + itemSize(i), 0);
    this.bill(t, 'read', readUnits(bytes, input.ConsistentRead === true));
    const items = page.filter(filter);
    const last = page.at(-1);
    return {
      Items: items,
      Count: items.length,
      ...(more && last && { LastEvaluatedKey: { ...pickKey(t.def, last) } }),
    };
  }
}

/**
 * The lower bound a key condition puts on the sort key: `sk = :v`, `sk >= :v`, `sk > :v`, `BETWEEN :v AND …` and
 * `begins_with(sk, :v)` start at `:v`; anything else (`<`, `<=`, no sort-key term) starts at the partition's first key.
 */
function sortKeyLower(
  def: TableDefinition,
  expression: string,
  names: Names,
  values: Values,
): { value: string; inclusive: boolean } | undefined {
  const cacheKey = `${def.id}\u0000${expression}\u0000${Object.entries(names).join(',')}`;
  let bound = lowerBoundCache.get(cacheKey);
  if (bound === undefined) {
    bound = lowerBoundOf(def, expression, names);
    lowerBoundCache.set(cacheKey, bound);
  }
  return bound ? { value: String(values[bound.placeholder]), inclusive: bound.inclusive } : undefined;
}

const lowerBoundCache = new Map<string, { placeholder: string; inclusive: boolean } | null>();

function lowerBoundOf(
  def: TableDefinition,
  expression: string,
  names: Names,
): { placeholder: string; inclusive: boolean } | null {
  const sk = def.sortKey?.name;
  if (!sk) return null;
  const tokens = [sk, ...Object.entries(names).flatMap(([token, n]) => (n === sk ? [token] : []))];
  for (const t of tokens) {
    const prefix = new RegExp(`begins_with\\(\\s*${t}\\s*,\\s*(:[A-Za-z0-9_]+)\\s*\\)`).exec(expression);
    if (prefix) return { placeholder: prefix[1]!, inclusive: true };
    const cmp = new RegExp(`(?:^|[\\s(])${t}\\s*(=|>=|>|BETWEEN)\\s*(:[A-Za-z0-9_]+)`, 'i').exec(expression);
    if (cmp) return { placeholder: cmp[2]!, inclusive: cmp[1] !== '>' };
  }
  return null;
}

function pickKey(def: TableDefinition, item: Item): Item {
  const key: Item = { [def.partitionKey.name]: item[def.partitionKey.name] };
  if (def.sortKey) key[def.sortKey.name] = item[def.sortKey.name];
  return key;
}
