// A deployed stack's outputs (ApiUrl, WorkDlqArn, …) by one SigV4-signed CloudFormation DescribeStacks call (the
// Query protocol: form in, XML out), so the CLI needs only the stack name and the region, and no new package.
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { type Credentials, NodeSha256 } from '../signed-fetch';

export class StackOutputsError extends Error {
  override name = 'StackOutputsError';
}

export interface StackOutputsOptions {
  stackName: string;
  region: string;
  credentials?: Credentials;
  /** For tests: the transport. */
  fetch?: typeof fetch;
}

export async function describeStackOutputs(options: StackOutputsOptions): Promise<Record<string, string>> {
  const host = `cloudformation.${options.region}.amazonaws.com`;
  const body = new URLSearchParams({
    Action: 'DescribeStacks',
    StackName: options.stackName,
    Version: '2010-05-15',
  }).toString();
  const signer = new SignatureV4({
    service: 'cloudformation',
    region: options.region,
    credentials: options.credentials ?? defaultProvider(),
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'https:',
    hostname: host,
    path: '/',
    headers: { host, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const { host: _host, ...headers } = signed.headers;
  const res = await (options.fetch ?? fetch)(`https://${host}/`, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(15_000),
  });
  const xml = await res.text();
  if (!res.ok) {
    const message = element(xml, 'Message') ?? `CloudFormation answered ${res.status}`;
    throw new StackOutputsError(`${options.stackName} in ${options.region}: ${message}`);
  }
  return outputsOf(xml);
}

/** OutputKey → OutputValue of a DescribeStacks answer (the first stack's `<Outputs>`). */
export function outputsOf(xml: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const block = /<Outputs>([\s\S]*?)<\/Outputs>/.exec(xml)?.[1] ?? '';
  for (const member of block.matchAll(/<member>([\s\S]*?)<\/member>/g)) {
    const key = element(member[1]!, 'OutputKey');
    const value = element(member[1]!, 'OutputValue');
    if (key !== undefined && value !== undefined) outputs[key] = value;
  }
  return outputs;
}

function element(xml: string, name: string): string | undefined {
  const raw = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];
  return raw
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
