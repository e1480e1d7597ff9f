// The target row "one partner of 50,000 lines, first night" as checks over what the night left behind: the run
// record, the counts Gradient received (CountingGradient) and the values the oracle computed. Pure: no port.
import type { HeldValue, LineReceipt, Run } from '../lambdas/core/model';
import type { CountingGradient } from './counting-gradient';
import type { ExpectedLine } from './large-partner-data';

export interface NightFacts {
  /** Every line that exists, with the value it must bill. */
  expected: ReadonlyMap<string, ExpectedLine>;
  /** Services the MSP never mapped in Synthesize: their lines are answered 404, once. */
  refusedServices: ReadonlySet<string>;
  counting: Pick<CountingGradient, 'lines' | 'rebuilds' | 'lastRebuildAt' | 'lastAcceptedAt'>;
  /** Gradient service id → our service key. */
  serviceKeyOf: ReadonlyMap<string, string>;
  held: HeldValue[];
  receipts: LineReceipt[];
  run: Run | undefined;
  queue: { deliveries: number; deadLetters: number };
  /** Deliveries middy cut short on its real-time timer (see large-partner.ts). */
  realTimeAborts: number;
  budget: number;
  timeoutS: number;
  /** Seconds a delivery sends before its safety margin. */
  usableS: number;
}

export type Check = { what: string; ok: boolean; detail: string };

const fmt = (n: number) => n.toLocaleString('en-US');

export function nightChecks(f: NightFacts): Check[] {
  const refused = (k: string) => f.refusedServices.has(k.slice(k.indexOf('#') + 1));
  const c = { wrong: 0, missing: 0, unexpected: 0, twice: 0, answeredTwice: 0, retried429: 0, notMapped: 0, other: 0 };
  const seen = new Set<string>();
  for (const [k, posts] of f.counting.lines) {
    const [serviceId, accountId] = k.split('|') as [string, string];
    const lineKey = `${accountId}#${f.serviceKeyOf.get(serviceId) ?? `?${serviceId}`}`;
    seen.add(lineKey);
    const want = f.expected.get(lineKey);
    if (!want) c.unexpected += 1;
    if (posts.accepted > 1) c.twice += 1;
    // A 404 is an answer as final as a 201: a refused line posted again counts as sent twice. A 429 is not.
    if (posts.accepted + posts.notMapped + posts.otherErrors > 1) c.answeredTwice += 1;
    if (posts.rateLimited > 0) c.retried429 += 1;
    c.notMapped += posts.notMapped;
    c.other += posts.otherErrors;
    if (!want) continue;
    if (refused(lineKey)) {
      if (posts.notMapped !== 1 || posts.accepted !== 0) c.wrong += 1;
    } else if (posts.accepted === 0) c.missing += 1;
    else if (posts.held !== want.pushed) c.wrong += 1;
  }
  for (const k of f.expected.keys()) if (!seen.has(k)) c.missing += 1;
  const billed = [...f.expected.keys()].filter((k) => !refused(k)).length;
  const heldDisagrees = f.held.filter((h) => f.expected.get(`${h.accountId}#${h.serviceKey}`)?.pushed !== h.value);
  const outcomes: Record<string, number> = {};
  for (const r of f.receipts) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;

  const lines = f.expected.size;
  // No delivery can send more than the budget for its whole timeout: past that the run must continue.
  const mustContinue = lines > f.budget * f.timeoutS;
  const deliveries = f.run?.deliveries ?? 0;
  const continuations = f.run?.continuations ?? 0;
  const redeliveries = deliveries - 1 - continuations;
  const summary = f.run?.summary;
  return [
    { what: 'run finishes `succeeded`', ok: f.run?.status === 'succeeded', detail: `status ${f.run?.status}` },
    {
      what: mustContinue ? 'deliveries ≥ 2, continuations ≥ 1' : 'deliveries ≥ 1',
      ok: mustContinue ? deliveries >= 2 && continuations >= 1 : deliveries >= 1,
      detail:
        `deliveries ${deliveries}, continuations ${continuations} (${fmt(lines)} posts at ${f.budget} req/s: about ` +
        `${Math.ceil(lines / (f.budget * f.usableS))} deliveries of ${f.usableS} s before the margin)`,
    },
    {
      what: 'no redelivery, no dead letter',
      ok: redeliveries === 0 && f.queue.deadLetters === 0 && f.queue.deliveries === deliveries && !f.realTimeAborts,
      detail:
        `redeliveries ${redeliveries}; queue: ${f.queue.deliveries} deliveries, ${f.queue.deadLetters} dead letters; ` +
        `cut short by middy's real-time timer ${f.realTimeAborts}` +
        (f.realTimeAborts ? ' (a sim artifact: use a longer --timeout-s)' : ''),
    },
    {
      what: 'every value right',
      ok: c.wrong === 0 && c.missing === 0 && c.unexpected === 0 && heldDisagrees.length === 0,
      detail:
        `${fmt(billed)} billed lines and ${fmt(lines - billed)} refused: wrong ${c.wrong}, missing ${c.missing}, ` +
        `unexpected ${c.unexpected}; held values recorded ${fmt(f.held.length)}, disagreeing ${heldDisagrees.length}`,
    },
    {
      what: 'no line sent twice',
      ok: c.twice === 0 && c.answeredTwice === 0,
      detail:
        `accepted twice ${c.twice}, answered (201, 404 or other) twice ${c.answeredTwice}; 404 answers ${fmt(c.notMapped)}, ` +
        `other errors ${c.other}; lines retried after a 429 ${c.retried429}`,
    },
    {
      what: 'billing views rebuilt once, by the last count',
      ok: f.counting.rebuilds === 1 && f.counting.lastRebuildAt >= f.counting.lastAcceptedAt,
      detail: `accepted counts with no_build=false: ${f.counting.rebuilds}`,
    },
    {
      what: 'run summary and receipts account for every line',
      ok:
        summary?.lines === lines &&
        summary.accepted === billed &&
        summary.notMapped === lines - billed &&
        f.receipts.length === lines,
      detail: `summary ${JSON.stringify(summary)}, receipts ${JSON.stringify(outcomes)}`,
    },
  ];
}
