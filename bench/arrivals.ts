// What Gradient received, from the emulator's request log: the rate between the first and the last arrival (and
// from the first count post to the last, the push alone), the busiest sliding second (any [t, t + 1 s)) and the
// busiest calendar second, and the 429s it answered. The budget bench and the `npm run dev` bench both report it.
import { busiestSlidingWindow, type RequestLogEntry } from '../local/gradient-emulator';

const COUNT_ROUTE = '/api/vendor-api/service/:serviceId/count';

export interface Arrivals {
  requests: number;
  seconds: number;
  rps: number;
  /** Count posts from the first to the last: the push alone, without the run's start (account list, loads). */
  countRps: number;
  /** From the first arrival to the first count post: the run's start as Gradient sees it (ms). */
  startMs: number;
  busiestSliding: number;
  busiestCalendar: number;
  rateLimited: number;
}

export function arrivalsOf(log: readonly Pick<RequestLogEntry, 'route' | 'status' | 'at'>[]): Arrivals {
  const times = log.map((e) => Date.parse(e.at)).sort((a, b) => a - b);
  const perSecond = new Map<number, number>();
  for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
  const seconds = (times.at(-1)! - times[0]!) / 1000;
  const counts = log
    .filter((e) => e.route === COUNT_ROUTE)
    .map((e) => Date.parse(e.at))
    .sort((x, y) => x - y);
  return {
    requests: times.length,
    seconds,
    rps: times.length / seconds,
    countRps: counts.length / ((counts.at(-1)! - counts[0]!) / 1000),
    startMs: counts[0]! - times[0]!,
    busiestSliding: busiestSlidingWindow(times),
    busiestCalendar: Math.max(...perSecond.values()),
    rateLimited: log.filter((e) => e.status === 429).length,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The arrival columns both budget benches print, in their order (a header's cells, then a row's). */
export const ARRIVAL_HEADER =
  'req/s as received (of budget) | count posts alone, req/s (of budget) | start to first count, ms | busiest sliding second | busiest calendar second | 429s';
export const ARRIVAL_ALIGN = '---:|---:|---:|---:|---:|---:';

const ofBudget = (rps: number, budget: number) => `${rps.toFixed(1)} (${((100 * rps) / budget).toFixed(1)} %)`;

/** One run's arrival cells. */
export const arrivalCells = (r: Arrivals, budget: number): string =>
  `${ofBudget(r.rps, budget)} | ${ofBudget(r.countRps, budget)} | ${r.startMs} | ${r.busiestSliding} | ${r.busiestCalendar} | ${r.rateLimited}`;

/** The runs' medians (the busiest sliding second with its maximum, the 429s summed). */
export const medianCells = (rows: readonly Arrivals[], budget: number): string =>
  `${ofBudget(median(rows.map((r) => r.rps)), budget)} | ${ofBudget(median(rows.map((r) => r.countRps)), budget)} | ` +
  `${median(rows.map((r) => r.startMs))} | ${median(rows.map((r) => r.busiestSliding))} (max ${Math.max(...rows.map((r) => r.busiestSliding))}) | ` +
  `${median(rows.map((r) => r.busiestCalendar))} | ${rows.reduce((n, r) => n + r.rateLimited, 0)} in all`;
