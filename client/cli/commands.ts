// The operator CLI's commands: each reads the API through the client (or SQS for the DLQ), prints for a person
// or as JSON, and answers its exit code (exit-codes in main.ts).
import { SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { isRunFinished, RUN_SUMMARY_FIELDS } from '../../lambdas/core/model';
import { ApiCallError, type RunDetailView, type RunView } from '../index';
import { csv, fields, firstRecords, generic, type Row, table } from './format';
import { type Target, UsageError } from './target';

export const EXIT = {
  ok: 0,
  /** A run ended `partial` or `failed`. */
  runNotSucceeded: 1,
  usage: 2,
  /** The API answered an error (4xx/5xx). */
  apiError: 3,
  /** The API, CloudFormation or SQS could not be reached, or AWS refused the credentials. */
  unreachable: 4,
  /** `resync` stopped waiting while the run was still queued or running. */
  stillRunning: 5,
} as const;

/** Routes of the fleet, statement and unmapped views: one place to follow the API if they move. */
export const ROUTES = {
  partners: '/v1/partners',
  statement: (partnerId: string, period: string) =>
    `/v1/partners/${encodeURIComponent(partnerId)}/statements/${encodeURIComponent(period)}`,
  unmapped: (partnerId: string) => `/v1/partners/${encodeURIComponent(partnerId)}/unmapped`,
};

export interface Flags {
  json?: boolean | undefined;
  period?: string | undefined;
  full?: boolean | undefined;
  csv?: boolean | undefined;
  limit?: string | undefined;
  wait?: boolean | undefined;
  timeout?: string | undefined;
  interval?: string | undefined;
  rate?: string | undefined;
  'source-arn'?: string | undefined;
  'destination-arn'?: string | undefined;
}

export interface CommandContext {
  args: string[];
  flags: Flags;
  target: () => Promise<Target>;
  out: (text: string) => void;
  sleep: (ms: number) => Promise<void>;
}

type Command = (ctx: CommandContext) => Promise<number>;

const runExit = (status: string) =>
  status === 'succeeded' ? EXIT.ok : isRunFinished(status) ? EXIT.runNotSucceeded : EXIT.stillRunning;

const need = (ctx: CommandContext, names: string[]): string[] => {
  if (ctx.args.length !== names.length) {
    throw new UsageError(`expects ${names.map((n) => `<${n}>`).join(' ') || 'no arguments'}`);
  }
  return ctx.args;
};

const positiveNumber = (value: string | undefined, flag: string, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a positive number, got ${value}`);
  return n;
};

const print = (ctx: CommandContext, value: unknown, human: () => string) =>
  ctx.out(ctx.flags.json ? `${JSON.stringify(value, null, 2)}\n` : human());

const runRow = (r: RunView): Row => ({
  runId: r.runId,
  status: r.status,
  trigger: r.trigger,
  period: r.period,
  asOf: r.asOf,
  full: r.full,
  ...Object.fromEntries(RUN_SUMMARY_FIELDS.map((f) => [f, r.summary[f]])),
  finishedAt: r.finishedAt ?? '',
});

const runText = (run: RunView | RunDetailView): string => {
  const error = run.error && `${run.error.code}: ${run.error.message}`;
  const head = fields({ ...runRow(run), ...(error && { error }) });
  return 'lines' in run ? `${head}\n${table(run.lines)}` : head;
};

/** GET a route this client has no method for; its answer printed as it comes. */
async function getRaw(ctx: CommandContext, path: string, query?: Record<string, string>): Promise<unknown> {
  const { client } = await ctx.target();
  const res = await client.send({ method: 'GET', path, ...(query && { query }) });
  const text = await res.text();
  const parsed: unknown = text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  if (!res.ok) {
    const error = (parsed as { error?: { code: string; message: string } })?.error;
    if (res.status === 404 && error?.code === 'route_not_found') {
      throw new ApiCallError(
        404,
        'route_not_found',
        `this API has no ${path.replace(/\/[^/]+$/, '/…')} route yet: deploy a newer version`,
      );
    }
    throw new ApiCallError(res.status, error?.code ?? 'http_error', error?.message ?? `the API answered ${res.status}`);
  }
  return parsed;
}

export const COMMANDS: Record<string, { usage: string; run: Command }> = {
  partners: {
    usage: 'partners                      every partner with its status (the fleet view)',
    async run(ctx) {
      need(ctx, []);
      const answer = await getRaw(ctx, ROUTES.partners);
      print(ctx, answer, () => generic(answer));
      return EXIT.ok;
    },
  },
  partner: {
    usage: 'partner <partnerId>           status, organization, mappings and the last run',
    async run(ctx) {
      const [partnerId] = need(ctx, ['partnerId']);
      const p = await (await ctx.target()).client.getPartner(partnerId!);
      print(ctx, p, () => {
        const { lastRun, mappings, ...rest } = p;
        const last = lastRun && `${lastRun.runId} ${lastRun.status} (${lastRun.period})`;
        return fields({ ...rest, ...mappings, ...(last && { lastRun: last }) });
      });
      return EXIT.ok;
    },
  },
  resync: {
    usage: 'resync <partnerId> [--period YYYY-MM] [--full] [--no-wait] [--timeout s] [--interval s]',
    async run(ctx) {
      const [partnerId] = need(ctx, ['partnerId']);
      const { client } = await ctx.target();
      const queued = await client.resync(partnerId!, {
        ...(ctx.flags.period !== undefined && { period: ctx.flags.period }),
        ...(ctx.flags.full && { full: true }),
      });
      if (ctx.flags.wait === false) {
        print(ctx, queued, () => fields(queued));
        return EXIT.ok;
      }
      const deadline = Date.now() + positiveNumber(ctx.flags.timeout, 'timeout', 900) * 1000;
      const interval = positiveNumber(ctx.flags.interval, 'interval', 2) * 1000;
      let run = await client.getRun(partnerId!, queued.runId);
      while (!isRunFinished(run.status) && Date.now() < deadline) {
        await ctx.sleep(interval);
        run = await client.getRun(partnerId!, queued.runId);
      }
      print(ctx, run, () => runText(run));
      return runExit(run.status);
    },
  },
  runs: {
    usage: 'runs <partnerId> [--limit n]  the latest runs, newest first',
    async run(ctx) {
      const [partnerId] = need(ctx, ['partnerId']);
      const limit = ctx.flags.limit === undefined ? undefined : positiveNumber(ctx.flags.limit, 'limit', 20);
      const { runs } = await (await ctx.target()).client.listRuns(partnerId!, limit);
      print(ctx, { runs }, () => table(runs.map(runRow)));
      return EXIT.ok;
    },
  },
  run: {
    usage: 'run <partnerId> <runId>       one run with its per-line receipts',
    async run(ctx) {
      const [partnerId, runId] = need(ctx, ['partnerId', 'runId']);
      const run = await (await ctx.target()).client.getRun(partnerId!, runId!);
      print(ctx, run, () => runText(run));
      return runExit(run.status);
    },
  },
  statement: {
    usage: 'statement <partnerId> <period> [--csv]   what was billed per line for the period',
    async run(ctx) {
      const [partnerId, period] = need(ctx, ['partnerId', 'period']);
      const answer = await getRaw(ctx, ROUTES.statement(partnerId!, period!));
      if (ctx.flags.csv) {
        ctx.out(typeof answer === 'string' ? answer : csv(firstRecords(answer) ?? []));
        return EXIT.ok;
      }
      print(ctx, answer, () => generic(answer));
      return EXIT.ok;
    },
  },
  unmapped: {
    usage: 'unmapped <partnerId>          accounts and services still to map in Synthesize',
    async run(ctx) {
      const [partnerId] = need(ctx, ['partnerId']);
      const answer = await getRaw(ctx, ROUTES.unmapped(partnerId!));
      print(ctx, answer, () => generic(answer));
      return EXIT.ok;
    },
  },
  dlq: {
    usage: 'dlq redrive [--source-arn arn] [--destination-arn arn] [--rate n]   move the work DLQ back',
    async run(ctx) {
      const [action] = need(ctx, ['action']);
      if (action !== 'redrive') throw new UsageError(`dlq knows "redrive", not "${action}"`);
      const target = ctx.flags['source-arn'] && ctx.flags['destination-arn'] ? undefined : await ctx.target();
      const source = ctx.flags['source-arn'] ?? target?.outputs?.['WorkDlqArn'];
      const destination = ctx.flags['destination-arn'] ?? target?.outputs?.['WorkQueueArn'];
      if (!source || !destination) {
        throw new UsageError(
          'dlq redrive needs --stack (its WorkDlqArn, WorkQueueArn) or --source-arn and --destination-arn',
        );
      }
      const region = source.split(':')[3]!;
      const rate = positiveNumber(ctx.flags.rate, 'rate', 5);
      const sqs = new SQSClient({ region });
      const started = await sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn: source,
          DestinationArn: destination,
          MaxNumberOfMessagesPerSecond: rate,
        }),
      );
      const answer = { taskHandle: started.TaskHandle, source, destination, messagesPerSecond: rate };
      print(ctx, answer, () => fields(answer));
      return EXIT.ok;
    },
  },
};
