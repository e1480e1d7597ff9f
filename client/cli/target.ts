// Which API the CLI speaks to: `--local` (the local stack, unsigned), `--api-url` (signed unless it is loopback
// http) or `--stack`/`--stage` (the stack's ApiUrl output, signed; its other outputs feed `dlq redrive`).
import { stackNameOf } from '../../lambdas/shared/names';
import { GradientSyncClient } from '../index';
import { describeStackOutputs } from './stack-outputs';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface TargetFlags {
  'api-url'?: string | undefined;
  stack?: string | undefined;
  stage?: string | undefined;
  region?: string | undefined;
  local?: boolean | undefined;
}

export interface Target {
  client: GradientSyncClient;
  baseUrl: string;
  region: string;
  /** The stack's outputs, when the target was named by its stack. */
  outputs?: Record<string, string>;
}

export interface TargetEnv {
  env: Record<string, string | undefined>;
  /** For tests: the transport of the API and CloudFormation calls. */
  fetch?: typeof fetch;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The region of a flag or the environment, else of an execute-api host name (`<id>.execute-api.<region>.…`). */
export function regionOf(flags: TargetFlags, env: TargetEnv['env'], url?: URL): string | undefined {
  return (
    flags.region ??
    env['AWS_REGION'] ??
    env['AWS_DEFAULT_REGION'] ??
    (url && /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1])
  );
}

export async function resolveTarget(flags: TargetFlags, { env, fetch }: TargetEnv): Promise<Target> {
  const named = [flags.local && '--local', flags['api-url'] && '--api-url', (flags.stack ?? flags.stage) && '--stack'];
  const given = named.filter(Boolean);
  if (given.length === 0) {
    throw new UsageError('say which API: --local (npm run dev), --api-url <url>, or --stack <name> / --stage <stage>');
  }
  if (given.length > 1) throw new UsageError(`give one of ${given.join(', ')}`);
  const transport = fetch ? { fetch } : {};

  if (flags.local || flags['api-url']) {
    const baseUrl = flags['api-url'] ?? `http://127.0.0.1:${env['PORT'] ?? 3000}`;
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new UsageError(`--api-url is not a URL: ${baseUrl}`);
    }
    const unsigned = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
    const region = unsigned ? 'local' : regionOf(flags, env, url);
    if (!region) throw new UsageError('no region: pass --region or set AWS_REGION');
    return { baseUrl, region, client: new GradientSyncClient({ baseUrl, region, unsigned, ...transport }) };
  }

  const stackName = flags.stack ?? stackNameOf(flags.stage!);
  const region = regionOf(flags, env);
  if (!region) throw new UsageError('no region: pass --region or set AWS_REGION');
  const outputs = await describeStackOutputs({ stackName, region, ...transport });
  const baseUrl = outputs['ApiUrl'];
  if (!baseUrl) throw new UsageError(`${stackName} has no ApiUrl output: is it a ${stackNameOf('<stage>')} stack?`);
  return { baseUrl, region, outputs, client: new GradientSyncClient({ baseUrl, region, ...transport }) };
}
