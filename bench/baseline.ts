// The baseline: the way Gradient's published sample scripts push usage — every line, one request after the other,
// no pacing, no diff — with the project's real Gradient client against the same emulator.

import { createGradientClient } from '../lambdas/adapters/gradient-client';
import { GradientRateLimitedError } from '../lambdas/core/errors';
import type { ComputedLine } from '../lambdas/core/model';
import { LOCAL_VENDOR, type LocalStack } from '../local/stack';
import type { BenchPartner } from './workload';

const MAX_ATTEMPTS = 5;

export interface BaselineResult {
  partners: number;
  lines: number;
  requests: number;
  rateLimited: number;
  wallMs: number;
  msPerLine: number;
}

export async function runBaseline(
  stack: LocalStack,
  partners: Array<{ partner: BenchPartner; lines: ComputedLine[] }>,
): Promise<BaselineResult> {
  const serviceIds = new Map(
    (await stack.deps.catalog.list()).flatMap((s) =>
      s.gradientServiceId ? [[s.serviceKey, s.gradientServiceId]] : [],
    ),
  );
  const result: BaselineResult = {
    partners: partners.length,
    lines: 0,
    requests: 0,
    rateLimited: 0,
    wallMs: 0,
    msPerLine: 0,
  };
  const started = performance.now();
  for (const { partner, lines } of partners) {
    const client = createGradientClient({
      baseUrl: stack.gradientUrl,
      vendorApiKey: LOCAL_VENDOR.vendorApiKey,
      partnerApiKey: partner.partnerApiKey,
      timeoutMs: stack.env.GRADIENT_TIMEOUT_MS,
    });
    for (const line of lines) {
      const serviceId = serviceIds.get(line.serviceKey);
      if (!serviceId) throw new Error(`no Gradient service for ${line.serviceKey}`);
      result.lines += 1;
      // A sample script's only error handling: wait out a 429 and try again.
      for (let attempt = 1; ; attempt++) {
        result.requests += 1;
        try {
          await client.setUnitCount(serviceId, line.accountId, line.pushed, { noBuild: false });
          break;
        } catch (error) {
          if (!(error instanceof GradientRateLimitedError) || attempt >= MAX_ATTEMPTS) throw error;
          result.rateLimited += 1;
          await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs ?? 1_000));
        }
      }
    }
  }
  result.wallMs = performance.now() - started;
  result.msPerLine = result.wallMs / Math.max(1, result.lines);
  return result;
}
