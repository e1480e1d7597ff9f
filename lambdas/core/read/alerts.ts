// GET /partners/{id}/alerts: the billing-health alerts sent for a period and what became of them, and Gradient's
// refusal if it refused them. The period defaults to the one the partner's nightly computes now (its close day
// decides), since that is what the alerts are about.
import type { AlertSettings, Period, PeriodAlerts } from '../model';
import { closeDayOf, knownPartner } from '../partners';
import { addDays, todayUtc } from '../period';
import type { AppDeps } from '../ports';
import { billingTarget } from '../sync/billing-period';

export interface PartnerAlerts extends PeriodAlerts {
  partnerId: string;
  period: Period;
  settings: AlertSettings | undefined;
}

export async function listAlerts(
  deps: Pick<AppDeps, 'partners' | 'accounts' | 'alerts' | 'clock'>,
  partnerId: string,
  asked?: Period,
): Promise<PartnerAlerts> {
  const partner = await knownPartner(deps, partnerId);
  // The nightly computes as of yesterday (UTC), the last complete day.
  const period = asked ?? billingTarget(addDays(todayUtc(deps.clock.now()), -1), closeDayOf(partner)).period;
  const stored = await deps.alerts.list(partnerId, period);
  return { partnerId, period, settings: partner.alerts, ...stored };
}
