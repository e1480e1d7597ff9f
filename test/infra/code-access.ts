// What each Lambda's code sends to AWS, read from the code itself (no hand list): the handler entry is bundled
// with esbuild (tree-shaken, unminified) and the project modules in the bundle are scanned for port calls
// (`deps.runs.putReceipts(`); each port's adapter source is read for the SDK commands every method sends
// (directly, through `this.<method>(` or through a helper such as `batchWrite`) and on which table (the field the
// command names, wired to a table in adapters/dynamo/index.ts); commands map to IAM actions. Deliberately strict:
// anything it cannot place (a command without a table, an unknown SDK module) throws rather than guess.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { TABLES, type TableDefinition, type TableName } from '../../lambdas/shared/tables';

const ROOT = path.join(__dirname, '..', '..');
const ADAPTERS = path.join(ROOT, 'lambdas', 'adapters');

/** Resource ids shared with the template side: `table:runs`, `index:partners/bySyncEnabled`, `secret:partner`, … */
export type Resource = string;
/** `dynamodb:PutItem table:runs` */
export type Grant = string;

/** Ports whose adapter is not a repository: the resource each stands for. Tables are found from the wiring. */
const PORT_RESOURCES: Record<string, { className: string; resource: Resource }> = {
  keys: { className: 'SecretsManagerKeyStore', resource: 'secret:partner' },
  queue: { className: 'SqsSyncQueue', resource: 'queue:work' },
};
/** Adapter functions the composition root calls directly, with what they act on. */
const FUNCTION_RESOURCES: Record<string, Resource> = { vendorKeyReader: 'secret:vendor' };

// lib-dynamodb's document commands → the DynamoDB API action each sends.
const DOCUMENT_ACTIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchWrite: 'BatchWriteItem',
  BatchGet: 'BatchGetItem',
};
const SERVICE_OF_MODULE: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-secrets-manager': 'secretsmanager',
  '@aws-sdk/client-sqs': 'sqs',
};
// An item of a TransactWriteItems request is authorized as the single-item action it performs.
const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

// An SQS batch request is authorized as the single-message action of its entries (SQS's API reference).
const SQS_BATCH_ACTIONS: Record<string, string> = { SendMessageBatch: 'SendMessage' };

/** A resource a helper receives as an argument: bound at the call site. */
const ARG = '<arg>';

interface Effect {
  action: string;
  resource: Resource;
  index?: boolean;
}

interface Unit {
  name: string;
  body: string;
  file: SourceFile;
  className?: string;
}

interface SourceFile {
  imports: Map<string, string>;
  functions: Map<string, Unit>;
  classes: Map<string, { params: string[]; methods: Map<string, Unit> }>;
}

/** Index of the `)` closing the `(` at `open`. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if ('([{<'.includes(text[i]!)) depth++;
    else if (')]}>'.includes(text[i]!) && text[i - 1] !== '=') depth--;
    if (depth === 0) return i;
  }
  throw new Error('unbalanced parentheses');
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c) && text[i - 1] !== '=') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** Units between consecutive headers; a header's match index starts its unit. */
function unitsOf(text: string, header: RegExp, file: SourceFile, className?: string): Map<string, Unit> {
  const matches = [...text.matchAll(header)];
  return new Map(
    matches.map((m, i) => [
      m[1]!,
      { name: m[1]!, body: text.slice(m.index + m[0].length, matches[i + 1]?.index ?? text.length), file, className },
    ]),
  );
}

const parsed = new Map<string, SourceFile>();

function parseSource(file: string): SourceFile {
  const known = parsed.get(file);
  if (known) return known;
  const text = readFileSync(file, 'utf8');
  const source: SourceFile = { imports: new Map(), functions: new Map(), classes: new Map() };
  for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
    for (const name of m[1]!.split(',')) {
      const bare = name.replace(/^\s*type\s+/, '').trim();
      if (bare) source.imports.set(bare, m[2]!);
    }
  }
  const classStarts = [...text.matchAll(/^export class (\w+)[^\n]*\{$/gm)];
  let outside = text;
  for (const c of classStarts) {
    const end = text.indexOf('\n}\n', c.index);
    const classText = text.slice(c.index, end + 2);
    outside = outside.replace(classText, '');
    const methods = unitsOf(
      classText,
      /^ {2}(?:private |protected |public )?(?:static )?(?:async )?(?:\*\s*)?(\w+)\s*(?:<[^\n(]*>)?\(/gm,
      source,
      c[1],
    );
    const ctor = classText.indexOf('  constructor(');
    const params =
      ctor < 0
        ? []
        : splitTopLevel(
            classText.slice(ctor + '  constructor('.length, closing(classText, ctor + '  constructor'.length)),
          ).map((p) => /^(?:(?:private|public|protected|readonly)\s+)*(\w+)/.exec(p)![1]!);
    source.classes.set(c[1]!, { params, methods });
  }
  for (const [name, unit] of unitsOf(outside, /^(?:export )?(?:async )?function\s*\*?\s*(\w+)/gm, source)) {
    source.functions.set(name, unit);
  }
  parsed.set(file, source);
  return source;
}

const adapterFiles = (): string[] =>
  readdirSync(ADAPTERS, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(ADAPTERS, f));

/** Every adapter-level function by name (helpers such as `queryItems`, `batchWrite`, `getSecretString`). */
function adapterFunctions(): Map<string, Unit> {
  const all = new Map<string, Unit>();
  for (const file of adapterFiles()) for (const [n, u] of parseSource(file).functions) all.set(n, u);
  return all;
}

function findClass(className: string): { params: string[]; methods: Map<string, Unit> } {
  for (const file of adapterFiles()) {
    const c = parseSource(file).classes.get(className);
    if (c) return c;
  }
  throw new Error(`no adapter class ${className}`);
}

interface Wiring {
  className: string;
  /** Constructor field → resource (the table its name is, for a repository). */
  fields: Map<string, Resource>;
  /** Resource of every command of a non-repository adapter. */
  resource?: Resource;
}

/** Port key → adapter, from `createRepositories` (repositories) and PORT_RESOURCES (the others). */
export function portWiring(): Map<string, Wiring> {
  const byEnvVar = new Map(
    (Object.entries(TABLES) as [TableName, TableDefinition][]).map(([name, def]) => [def.envVar, name]),
  );
  const wiring = new Map<string, Wiring>();
  const index = readFileSync(path.join(ADAPTERS, 'dynamo', 'index.ts'), 'utf8');
  for (const m of index.matchAll(/(\w+): new (\w+)\(([^)]*)\)/g)) {
    const { params } = findClass(m[2]!);
    const fields = new Map<string, Resource>();
    splitTopLevel(m[3]!).forEach((arg, i) => {
      const table = byEnvVar.get(/^tables\.(\w+)$/.exec(arg)?.[1] ?? '');
      if (table) fields.set(params[i]!, `table:${table}`);
    });
    wiring.set(m[1]!, { className: m[2]!, fields });
  }
  for (const [key, { className, resource }] of Object.entries(PORT_RESOURCES)) {
    wiring.set(key, { className, fields: new Map(), resource });
  }
  return wiring;
}

function commandActions(unit: Unit, command: string, segment: string): string[] {
  const module = unit.file.imports.get(`${command}Command`);
  if (module === '@aws-sdk/lib-dynamodb') {
    if (command === 'TransactWrite') {
      return [...segment.matchAll(/\b(Put|Update|Delete|ConditionCheck):\s*\{/g)].map(
        (m) => `dynamodb:${TRANSACT_ACTIONS[m[1]!]}`,
      );
    }
    const action = DOCUMENT_ACTIONS[command];
    if (!action) throw new Error(`map lib-dynamodb ${command}Command to its IAM action in code-access.ts`);
    return [`dynamodb:${action}`];
  }
  const service = module && SERVICE_OF_MODULE[module];
  if (!service) throw new Error(`${command}Command in ${unit.name} comes from an unmapped module ${module}`);
  const actions = [`${service}:${(service === 'sqs' && SQS_BATCH_ACTIONS[command]) || command}`];
  // Tags passed to CreateSecret are authorized as TagResource.
  if (command === 'CreateSecret' && /\bTags:/.test(segment)) actions.push('secretsmanager:TagResource');
  return actions;
}

/** What one method (of the adapter `wiring` describes) or helper function sends; a helper's resource is ARG. */
function effectsOf(
  unit: Unit,
  wiring: Wiring | undefined,
  functions: Map<string, Unit>,
  visiting: ReadonlySet<Unit> = new Set(),
): Effect[] {
  if (visiting.has(unit)) return [];
  const inner = new Set([...visiting, unit]);
  const methods = unit.className ? findClass(unit.className).methods : new Map<string, Unit>();
  const sites = [
    ...unit.body.matchAll(/new (\w+)Command\(|\bpaginate(\w+)\(|\bthis\.(\w+)\(|(?<![.\w])(\w+)\(/g),
  ].filter((m) => m[1] || m[2] || (m[3] && methods.has(m[3])) || (m[4] && functions.has(m[4])));
  const out: Effect[] = [];
  sites.forEach((site, i) => {
    const segment = unit.body.slice(site.index, sites[i + 1]?.index ?? unit.body.length);
    const index = /\bIndexName\b/.test(segment);
    const tableField = [...segment.matchAll(/\bthis\.(\w+)\b/g)].find((m) => wiring?.fields.has(m[1]!))?.[1];
    const resource = wiring?.resource ?? (tableField ? wiring!.fields.get(tableField)! : ARG);
    const bind = (e: Effect): Effect => ({
      ...e,
      resource: e.resource === ARG ? resource : e.resource,
      index: e.index || (index && e.action === 'dynamodb:Query'),
    });
    if (site[1] === 'TransactWrite' && wiring) {
      // One request over several items, maybe of several tables: each action on each table it names.
      const tables = [...segment.matchAll(/\bthis\.(\w+)\b/g)].flatMap((m) => wiring.fields.get(m[1]!) ?? []);
      for (const action of commandActions(unit, site[1], segment)) {
        for (const table of new Set(tables)) out.push({ action, resource: table });
      }
    } else if (site[1]) {
      for (const action of commandActions(unit, site[1], segment)) out.push(bind({ action, resource: ARG }));
    } else if (site[2]) {
      out.push(bind({ action: `dynamodb:${site[2]}`, resource: ARG }));
    } else if (site[3]) {
      out.push(...effectsOf(methods.get(site[3])!, wiring, functions, inner));
    } else {
      out.push(...effectsOf(functions.get(site[4]!)!, undefined, functions, inner).map(bind));
    }
  });
  return out;
}

function toGrants(effects: Effect[], where: string): Grant[] {
  return effects.flatMap((e) => {
    if (e.resource === ARG) throw new Error(`${where}: ${e.action} on a table the code analysis cannot tell`);
    if (!e.index) return [`${e.action} ${e.resource}`];
    const table = e.resource.replace(/^table:/, '') as TableName;
    const indexes = (TABLES[table] as TableDefinition).globalIndexes ?? [];
    if (indexes.length === 0) throw new Error(`${where}: Query with IndexName on ${table}, which declares no index`);
    return indexes.map((i) => `${e.action} index:${table}/${i.indexName}`);
  });
}

/** The project modules of a handler's bundle, by path (esbuild marks each module with a `// path` comment). */
export function bundledModules(handler: string): Map<string, string> {
  const result = buildSync({
    entryPoints: [path.join('lambdas', 'handlers', `${handler}.ts`)],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]!.text;
  const marks = [...text.matchAll(/^\/\/ (\S+)$/gm)];
  const modules = new Map<string, string>();
  marks.forEach((m, i) => {
    if (m[1]!.startsWith('lambdas/')) modules.set(m[1]!, text.slice(m.index, marks[i + 1]?.index ?? text.length));
  });
  return modules;
}

/** Every `action resource` the handler's code may send, and the calls it came from. */
export function codeGrants(handler: string): { grants: Set<Grant>; calls: Set<string> } {
  const wiring = portWiring();
  const functions = adapterFunctions();
  const modules = bundledModules(handler);
  const grants = new Set<Grant>();
  const calls = new Set<string>();
  for (const [file, code] of modules) {
    if (file.startsWith('lambdas/adapters/')) continue;
    for (const m of code.matchAll(/\b(\w+)\.(\w+)\(/g)) {
      const port = wiring.get(m[1]!);
      const method = port && findClass(port.className).methods.get(m[2]!);
      if (!port || !method || m[2] === 'constructor') continue;
      calls.add(`${m[1]}.${m[2]}`);
      for (const g of toGrants(effectsOf(method, port, functions), `${port.className}.${m[2]}`)) grants.add(g);
    }
    for (const [name, resource] of Object.entries(FUNCTION_RESOURCES)) {
      if (!new RegExp(`\\b${name}\\(`).test(code)) continue;
      calls.add(name);
      const effects = effectsOf(functions.get(name)!, undefined, functions).map((e) => ({
        ...e,
        resource: e.resource === ARG ? resource : e.resource,
      }));
      for (const g of toGrants(effects, name)) grants.add(g);
    }
  }
  return { grants, calls };
}
