// Testing a Partner API key (the console's "Test connection"), and the reason a person can act on when
// Gradient refuses or fails, which a save's disconnect warning reuses.

import { givenKeyGradient, storedKeyGradient } from '../calls/fresh-keys';
import {
  GradientError,
  GradientKeyRejectedError,
  GradientRateLimitedError,
  GradientTimeoutError,
  GradientUnreachableError,
} from '../errors';
import type { ConnectionFailure } from '../model';
import { requirePartner } from '../partners';
import type { AppDeps, GradientOrganization, GradientPort } from '../ports';

export interface ConnectionTestResult {
  ok: boolean;
  organization?: { organizationId: string; name: string; integrationStatus?: string };
  code?: ConnectionFailure;
  /** What a person should do next; never contains the key. */
  reason?: string;
}

/** A reason a person can act on, from a Gradient failure. Built from the error class only, never its text. */
export function connectionFailureOf(error: GradientError): { code: ConnectionFailure; reason: string } {
  if (error instanceof GradientKeyRejectedError) {
    return {
      code: 'key_rejected',
      reason:
        'Gradient rejected the Partner API key. Generate a new key for this integration in Gradient Synthesize and paste it again.',
    };
  }
  if (error instanceof GradientRateLimitedError) {
    return { code: 'gradient_rate_limited', reason: 'Gradient is rate limiting requests. Try again in a minute.' };
  }
  if (error instanceof GradientTimeoutError || error instanceof GradientUnreachableError) {
    return { code: 'gradient_unavailable', reason: 'Gradient could not be reached. Try again in a few minutes.' };
  }
  return {
    code: 'gradient_unavailable',
    reason: `Gradient answered with an error${error.status ? ` (${error.status})` : ''}. Try again in a few minutes.`,
  };
}

const organizationView = (org: GradientOrganization): NonNullable<ConnectionTestResult['organization']> => ({
  organizationId: org.organizationId,
  name: org.name,
  ...(org.status !== undefined && { integrationStatus: org.status }),
});

/**
 * Tests a key without storing anything: the given one, or the partner's stored one. Gradient failures are an
 * answer (`ok: false` with a reason), not an error; only an unknown partner without a key in the body is.
 */
export async function testConnection(
  deps: Pick<AppDeps, 'partners' | 'keys' | 'gradient' | 'log'>,
  partnerId: string,
  partnerApiKey?: string,
): Promise<ConnectionTestResult> {
  let gradient: GradientPort | undefined;
  if (partnerApiKey === undefined) {
    await requirePartner(deps, partnerId);
    gradient = await storedKeyGradient(deps, partnerId);
    if (gradient === undefined) {
      return {
        ok: false,
        code: 'no_key',
        reason: 'No Partner API key is stored for this partner. Paste the key from Gradient Synthesize and save.',
      };
    }
  } else {
    gradient = await givenKeyGradient(deps, partnerId, partnerApiKey);
  }
  try {
    const org = await gradient.getOrganization();
    deps.log.info('connection test succeeded', { partnerId, organizationId: org.organizationId });
    return { ok: true, organization: organizationView(org) };
  } catch (error) {
    if (!(error instanceof GradientError)) throw error;
    const failure = connectionFailureOf(error);
    deps.log.warn('connection test failed', { partnerId, code: failure.code, error: error.name });
    return { ok: false, ...failure };
  }
}
