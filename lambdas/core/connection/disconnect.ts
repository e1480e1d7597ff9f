// Disconnecting a partner: Gradient told (best effort), our copy of the key, mappings and held values
// forgotten (Gradient deleted the accounts, and the counts with them), the record kept with its run history.
import { storedKeyGradient } from '../calls/fresh-keys';
import { GradientError } from '../errors';
import type { ConnectionFailure } from '../model';
import { requirePartner } from '../partners';
import type { AppDeps } from '../ports';
import { connectionFailureOf } from './test';

export interface DisconnectResult {
  /** false when the partner was already disconnected (nothing done). */
  changed: boolean;
  /** Set when Gradient's status could not be set to `inactive`; the disconnect happened anyway. */
  gradientWarning?: { code: ConnectionFailure; message: string };
}

/**
 * Disconnect: Gradient status `inactive` (best effort), then the key, the mappings and the held values are
 * forgotten; the partner record (and run history) stays, status `disconnected`. The record is written last, so a
 * disconnect interrupted midway is completed by the next call.
 */
export async function disconnect(
  deps: Pick<AppDeps, 'partners' | 'keys' | 'gradient' | 'mappings' | 'held' | 'clock' | 'log'>,
  partnerId: string,
): Promise<DisconnectResult> {
  const partner = await requirePartner(deps, partnerId);
  if (partner.status === 'disconnected') return { changed: false };

  let gradientWarning: DisconnectResult['gradientWarning'];
  const gradient = await storedKeyGradient(deps, partnerId);
  if (gradient !== undefined) {
    try {
      await gradient.updateIntegrationStatus('inactive');
    } catch (error) {
      if (!(error instanceof GradientError)) throw error;
      const failure = connectionFailureOf(error);
      gradientWarning = {
        code: failure.code,
        message: `Disconnected here, but Gradient's integration status could not be set to inactive: ${failure.reason}`,
      };
      deps.log.warn('could not set Gradient status inactive on disconnect', { partnerId, error: error.name });
    }
  }

  await deps.keys.delete(partnerId);
  await deps.mappings.deleteAll(partnerId);
  await deps.held.deleteAll(partnerId);
  const now = deps.clock.now().toISOString();
  const { statusReason: _, ...rest } = partner;
  await deps.partners.put({ ...rest, status: 'disconnected', updatedAt: now });
  deps.log.info('partner disconnected', { partnerId, gradientStatusUpdated: gradientWarning === undefined });
  return { changed: true, ...(gradientWarning && { gradientWarning }) };
}
