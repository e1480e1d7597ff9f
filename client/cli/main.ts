// `gbs`, the operator CLI: parses the command line with node:util's parseArgs, picks the API (local, URL or
// stack), runs one command and answers its exit code. main() takes its argv and output, so tests drive it whole.
import { parseArgs } from 'node:util';
import { ApiCallError } from '../index';
import { COMMANDS, EXIT, type Flags } from './commands';
import { StackOutputsError } from './stack-outputs';
import { resolveTarget, type Target, type TargetFlags, UsageError } from './target';

export { EXIT } from './commands';

const OPTIONS = {
  local: { type: 'boolean' },
  'api-url': { type: 'string' },
  stack: { type: 'string' },
  stage: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  period: { type: 'string' },
  full: { type: 'boolean' },
  csv: { type: 'boolean' },
  limit: { type: 'string' },
  wait: { type: 'boolean' },
  'no-wait': { type: 'boolean' },
  timeout: { type: 'string' },
  interval: { type: 'string' },
  rate: { type: 'string' },
  'source-arn': { type: 'string' },
  'destination-arn': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const HELP = `gbs: the operator's command line of gradient-billing-sync

usage: gbs <command> [arguments] (--local | --api-url <url> | --stack <name> | --stage <stage>) [--region r] [--json]

${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join('\n')}

  --local          the local stack of npm run dev (http://127.0.0.1:$PORT, default 3000; unsigned)
  --api-url <url>  an API stage root (SigV4-signed unless loopback http); region from --region, AWS_REGION or the URL
  --stack <name>   a deployed stack: its ApiUrl (and DLQ) outputs; --stage <s> means --stack GradientBillingSync-<s>
  --json           the API's answer as JSON, for scripts

exit codes: 0 ok · 1 a run ended partial or failed · 2 usage error · 3 the API answered an error ·
            4 the API or AWS could not be reached · 5 gave up waiting for a run still going
`;

export interface MainIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: Record<string, string | undefined>;
  /** For tests: the transport of every HTTP call, and the wait between polls. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export async function main(argv: string[], io: MainIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`gbs: ${(error as Error).message}\nRun gbs --help for the commands.\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [name, ...args] = positionals;
  if (values.help || name === undefined || name === 'help') {
    (name === undefined && !values.help ? io.err : io.out)(HELP);
    return name === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`gbs: unknown command "${name}"\nRun gbs --help for the commands.\n`);
    return EXIT.usage;
  }
  let target: Promise<Target> | undefined;
  const flags: Flags = { ...values, ...(values['no-wait'] && { wait: false }) };
  try {
    return await command.run({
      args,
      flags,
      target: () => {
        target ??= resolveTarget(values as TargetFlags, {
          env: io.env ?? process.env,
          ...(io.fetch && { fetch: io.fetch }),
        });
        return target;
      },
      out: io.out,
      sleep: io.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    });
  } catch (error) {
    return report(error, name, io);
  }
}

function report(error: unknown, name: string, io: MainIo): number {
  if (error instanceof UsageError) {
    io.err(`gbs ${name}: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof ApiCallError) {
    io.err(`gbs ${name}: the API answered ${error.status} ${error.code}: ${error.message}\n`);
    return EXIT.apiError;
  }
  if (error instanceof StackOutputsError) {
    io.err(`gbs ${name}: ${error.message}\n`);
    return EXIT.unreachable;
  }
  // zod refuses a bad body before anything is sent (the client checks with the API's own schemas).
  if (error instanceof Error && error.name === 'ZodError') {
    io.err(`gbs ${name}: invalid input: ${error.message}\n`);
    return EXIT.usage;
  }
  const cause =
    error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  io.err(`gbs ${name}: could not reach the API or AWS: ${cause}\n`);
  return EXIT.unreachable;
}
