// PATCH /partners/{id}: a partner's billing settings (rounding, close day, billing-health alerts); the connection itself changes
// through save and disconnect only.
import { ValidationError } from '../errors';
import { type AlertSettings, CLOSE_DAY_RULE, isValidCloseDay, type Partner, type RoundingPolicy } from '../model';
import type { AppDeps } from '../ports';
import { requirePartner } from './status';

/** PATCH /partners/{id}: settings only; the connection itself changes through save and disconnect. */
export async function updatePartnerSettings(
  deps: Pick<AppDeps, 'partners' | 'clock'>,
  partnerId: string,
  patch: { roundingPolicy?: RoundingPolicy; closeDay?: number; alerts?: AlertSettings },
): Promise<Partner> {
  if (patch.closeDay !== undefined && !isValidCloseDay(patch.closeDay)) {
    throw new ValidationError('invalid settings', [{ path: 'closeDay', message: `closeDay ${CLOSE_DAY_RULE}` }]);
  }
  const partner = await requirePartner(deps, partnerId);
  const updated: Partner = {
    ...partner,
    ...(patch.roundingPolicy !== undefined && { roundingPolicy: patch.roundingPolicy }),
    ...(patch.closeDay !== undefined && { closeDay: patch.closeDay }),
    ...(patch.alerts !== undefined && { alerts: { ...patch.alerts } }),
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.partners.put(updated);
  return updated;
}
