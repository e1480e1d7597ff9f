// One large MSP's usage for `npm run bench:large`, and the values it must bill, computed here from the snapshots
// alone. The oracle is written from the rules (README "How usage is computed"), not from core/usage.ts: exact
// integer arithmetic (BigInt) instead of floats, so a disagreement points at one side or the other, never at both.
import type { AverageBasis, UsageSnapshot } from '../lambdas/core/model';
import { seededRandom } from '../local/seeded-random';
import { CALENDAR_SERVICES, type CalendarService } from './calendar-workload';

export interface LargeOptions {
  partnerId: string;
  accounts: number;
  /** The first `services` of CALENDAR_SERVICES. */
  services: number;
  /** The period (YYYY-MM) and the day of the month the night computes as of. */
  period: string;
  asOfDay: number;
  /** The last month before `period`, whose closing states are the carry-in. */
  previousPeriod: string;
  seed: number;
}

export interface LargePartner {
  services: CalendarService[];
  accountIds: string[];
  /** In the order they are written: the first batch, then the late corrections of some days. */
  batches: UsageSnapshot[][];
}

/** Chances per line or day: most seats hold for weeks, storage moves more, scans are metered. */
const CARRY_IN = 0.3;
const LATE_START = 0.02;
const STATE_CHANGE = 0.04;
const STORAGE_CHANGE = 0.25;
const WHOLE_GB = 0.2;
const SCAN_DAY = 0.3;
const CORRECTION = 0.01;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function generateLargePartner(o: LargeOptions): LargePartner {
  const random = seededRandom(o.seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const services = CALENDAR_SERVICES.slice(0, o.services);
  const accountIds = Array.from({ length: o.accounts }, (_, i) => `${o.partnerId}-c${pad(i + 1, 6)}`);
  const first: UsageSnapshot[] = [];
  const corrections: UsageSnapshot[] = [];
  const at = (period: string, day: number) => `${period}-${pad(day)}`;

  const quantity = (s: CalendarService, before?: number): number => {
    if (s.aggregation === 'sum') return int(1, 3);
    if (s.unitScale) {
      const whole = int(2, 200) * s.unitScale;
      return random() < WHOLE_GB ? whole : whole + int(1, 999_999_999);
    }
    return before === undefined ? int(5, 65) : Math.max(0, before + (int(-3, 5) || 1));
  };

  for (const accountId of accountIds) {
    // A company that arrived this month has no history and starts on a later day.
    const startDay = random() < LATE_START ? int(2, o.asOfDay) : 1;
    for (const s of services) {
      const put = (date: string, q: number, into = first) =>
        into.push({ partnerId: o.partnerId, accountId, serviceKey: s.serviceKey, date, quantity: q });
      const history = startDay === 1 && random() < CARRY_IN;
      let state: number | undefined;
      if (history) {
        // Two days of the previous month: the later one is its closing state.
        const day = int(2, 28);
        put(at(o.previousPeriod, day - 1), quantity(s));
        state = quantity(s);
        put(at(o.previousPeriod, day), state);
      }
      for (let day = startDay; day <= o.asOfDay; day++) {
        if (s.aggregation === 'sum') {
          // Day one of a line without history is written even without scans: the line exists, at 0.
          if (random() < SCAN_DAY) put(at(o.period, day), quantity(s));
          else if (day === startDay && !history) put(at(o.period, day), 0);
          continue;
        }
        const moves = state === undefined || random() < (s.unitScale ? STORAGE_CHANGE : STATE_CHANGE);
        // A line with history need not be written on day one: its carry-in holds.
        if (!moves) continue;
        state = quantity(s, state);
        put(at(o.period, day), state);
      }
      // A late correction replaces one day's value (the store keeps the last write of a date).
      if (random() < CORRECTION) put(at(o.period, int(startDay, o.asOfDay)), quantity(s), corrections);
    }
  }
  return { services, accountIds, batches: [first, corrections] };
}

export interface ExpectedLine {
  accountId: string;
  serviceKey: string;
  pushed: number;
}

/** round half away from zero to 4 decimals (values here are ≥ 0), then up to a whole unit: `up` on n / d. */
const upOf4Decimals = (n: bigint, d: bigint): number => {
  const tenThousandths = (n * 20_000n + d) / (2n * d);
  return Number((tenThousandths + 9_999n) / 10_000n);
};

/**
 * What each line must bill as of day `asOfDay`, rounding `up`. A line exists when it has a snapshot in the period
 * up to that day or a carry-in (the previous month's closing state). States carry forward from the carry-in (0
 * without); `sum` adds the period's snapshots; `average` divides the day sum by the days so far (`to_date`) or,
 * `projected`, adds the days left at the last state and divides by the month's length.
 */
export function expectedValues(
  data: LargePartner,
  o: Pick<LargeOptions, 'period' | 'previousPeriod' | 'asOfDay'>,
  monthDays: number,
  basis: AverageBasis,
): Map<string, ExpectedLine> {
  const byLine = new Map<string, { period: Map<number, number>; previous: Map<number, number> }>();
  for (const batch of data.batches) {
    for (const s of batch) {
      const k = `${s.accountId}#${s.serviceKey}`;
      const line = byLine.get(k) ?? { period: new Map<number, number>(), previous: new Map<number, number>() };
      byLine.set(k, line);
      const month = s.date.slice(0, 7);
      const day = Number(s.date.slice(8));
      if (month === o.period) line.period.set(day, s.quantity);
      else if (month === o.previousPeriod) line.previous.set(day, s.quantity);
    }
  }
  const rules = new Map(data.services.map((s) => [s.serviceKey, s]));
  const out = new Map<string, ExpectedLine>();
  for (const [k, line] of byLine) {
    const [accountId, serviceKey] = k.split('#') as [string, string];
    const rule = rules.get(serviceKey)!;
    const inPeriod = [...line.period].filter(([day]) => day <= o.asOfDay);
    const closingDay = Math.max(...line.previous.keys());
    const carryIn = line.previous.size > 0 ? line.previous.get(closingDay) : undefined;
    if (inPeriod.length === 0 && carryIn === undefined) continue;
    const scale = BigInt(rule.unitScale ?? 1);
    let n: bigint;
    let d = scale;
    if (rule.aggregation === 'sum') {
      n = inPeriod.reduce((t, [, q]) => t + BigInt(q), 0n);
    } else {
      let state = BigInt(carryIn ?? 0);
      let total = 0n;
      let peak = state;
      for (let day = 1; day <= o.asOfDay; day++) {
        const q = line.period.get(day);
        if (q !== undefined) state = BigInt(q);
        total += state;
        if (day === 1 || state > peak) peak = state;
      }
      if (rule.aggregation === 'peak') n = peak;
      else if (rule.aggregation === 'last') n = state;
      else if (basis === 'to_date') {
        n = total;
        d = scale * BigInt(o.asOfDay);
      } else {
        n = total + BigInt(monthDays - o.asOfDay) * state;
        d = scale * BigInt(monthDays);
      }
    }
    out.set(k, { accountId, serviceKey, pushed: upOf4Decimals(n, d) });
  }
  return out;
}
