// Reading back one line's usage for a period: the daily states stored, the carry-in, the state in force each
// metered day up to the as-of date, and the value the sync computes from them (the same computeLines).
import { NotFoundError } from '../errors';
import type { Aggregation, IsoDate, Period } from '../model';
import { requirePartner } from '../partners';
import { asOfFor, dayOfMonth, periodOf, todayUtc } from '../period';
import type { AppDeps } from '../ports';
import { computeLines } from '../usage';

export interface LineUsageQuery {
  accountId: string;
  serviceKey: string;
  /** Defaults to the current period (UTC). */
  period?: Period;
}

export interface LineUsageReadback {
  accountId: string;
  serviceKey: string;
  period: Period;
  asOf: IsoDate;
  aggregation: Aggregation;
  /** The state carried in from the latest earlier month that has one. */
  carryIn?: number;
  /** The daily states stored for dates in the period, as received. */
  stored: Array<{ date: IsoDate; quantity: number }>;
  /** The quantity each day up to asOf counts with: stored days for `sum`, every day's state in force otherwise. */
  metered: Array<{ date: IsoDate; quantity: number }>;
  /** What the sync would compute and push for the line now; absent when the line has no usage yet. */
  value?: { computed: number; pushed: number };
}

export async function readLineUsage(
  deps: Pick<AppDeps, 'partners' | 'accounts' | 'catalog' | 'usage' | 'clock'>,
  partnerId: string,
  query: LineUsageQuery,
): Promise<LineUsageReadback> {
  const partner = await requirePartner(deps, partnerId);
  const [account, service] = await Promise.all([
    deps.accounts.get(partnerId, query.accountId),
    deps.catalog.get(query.serviceKey),
  ]);
  if (!account) throw new NotFoundError(`account ${query.accountId} of partner ${partnerId} not found`);
  if (!service) throw new NotFoundError(`service ${query.serviceKey} not found`);
  const today = todayUtc(deps.clock.now());
  const period = query.period ?? periodOf(today);
  const asOf = asOfFor(period, today);
  const line = await deps.usage.lineForPeriod(partnerId, query.accountId, query.serviceKey, period);
  const stored = (line?.snapshots ?? []).filter((s) => s.date <= asOf);
  const [value] = line
    ? computeLines({
        period,
        asOf,
        services: new Map([[service.serviceKey, service]]),
        lines: [line],
        rounding: partner.roundingPolicy,
      })
    : [];
  return {
    accountId: query.accountId,
    serviceKey: query.serviceKey,
    period,
    asOf,
    aggregation: service.aggregation,
    ...(line?.carryIn !== undefined && { carryIn: line.carryIn }),
    stored: line?.snapshots ?? [],
    metered: service.aggregation === 'sum' ? stored : statesInForce(period, asOf, line?.carryIn, stored),
    ...(value && { value: { computed: value.computed, pushed: value.pushed } }),
  };
}

/** Each day from the period's first to asOf with the state in force (a stored day replaces it); none before any. */
function statesInForce(
  period: Period,
  asOf: IsoDate,
  carryIn: number | undefined,
  stored: ReadonlyArray<{ date: IsoDate; quantity: number }>,
): Array<{ date: IsoDate; quantity: number }> {
  const byDate = new Map(stored.map((s) => [s.date, s.quantity]));
  const out: Array<{ date: IsoDate; quantity: number }> = [];
  let current = carryIn;
  for (let day = 1; day <= dayOfMonth(asOf); day++) {
    const date: IsoDate = `${period}-${String(day).padStart(2, '0')}`;
    current = byDate.get(date) ?? current;
    if (current !== undefined) out.push({ date, quantity: current });
  }
  return out;
}
