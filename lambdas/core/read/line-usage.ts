// Reading back one line's usage for a period: the daily states stored, the carry-in, the quantity each day up to
// the as-of date counts with, and the value the sync computes from them (the same dailyStates and computeLines).
import { NotFoundError } from '../errors';
import type { Aggregation, IsoDate, Period } from '../model';
import { knownPartner } from '../partners';
import { asOfFor, dateInPeriod, periodOf, todayUtc } from '../period';
import type { AppDeps } from '../ports';
import { computeLines, dailyStates } from '../usage';

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
  /**
   * The quantity each day from the period's first to asOf counts with, as the sync computes it: the day's metered
   * total for `sum`, the state in force otherwise (the carry-in, 0 when none, before the first stored day).
   */
  metered: Array<{ date: IsoDate; quantity: number }>;
  /** What the sync would compute and push for the line now; absent when the line has no usage yet. */
  value?: { computed: number; pushed: number };
}

export async function readLineUsage(
  deps: Pick<AppDeps, 'partners' | 'accounts' | 'catalog' | 'usage' | 'clock'>,
  partnerId: string,
  query: LineUsageQuery,
): Promise<LineUsageReadback> {
  const partner = await knownPartner(deps, partnerId);
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
    metered: line
      ? dailyStates(service.aggregation, line.carryIn, line.snapshots, period, asOf).map((quantity, i) => ({
          date: dateInPeriod(period, i + 1),
          quantity,
        }))
      : [],
    ...(value && { value: { computed: value.computed, pushed: value.pushed } }),
  };
}
