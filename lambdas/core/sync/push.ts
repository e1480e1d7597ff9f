// Pushing a partner's lines to Gradient: paced, concurrent, each receipt recorded as it lands, one billing
// rebuild per run, an auth failure stopping everything at once, nothing started past the deadline.
import { type Caller, CallFailed, type CallOptions, errorText, unwrap } from '../calls/caller';
import { runLimited } from '../calls/pool';
import { DeadlineReachedError, GradientError, GradientKeyRejectedError, GradientNotMappedError } from '../errors';
import type { LineOutcome, LineReceipt, Period } from '../model';
import type { AppDeps, GradientPort } from '../ports';
import { type LineToSend, lineReceipt } from './decide';

/** Receipts written at once when no request is made for them. */
const RECEIPT_WRITES_IN_FLIGHT = 16;

export interface PushInput extends Pick<CallOptions, 'deadline'> {
  /** Count requests in flight at once; the gate sets the rate, this only hides Gradient's latency. */
  maxInFlight: number;
  partnerId: string;
  period: Period;
  runId: string;
  gradient: GradientPort;
  call: Caller;
  lines: LineToSend[];
  /** Tells the rate gate how many requests the push is about to make (`RateGate.expect`). */
  expect?: (calls: number) => void;
}

export interface PushResult {
  /** One per line that was settled or closed here; lines left open for the redelivery have none. */
  receipts: LineReceipt[];
  /** Lines a request was made for. */
  sent: number;
  /** Lines left open for the run's next delivery. */
  leftOpen: LineToSend[];
  /** The deadline stopped lines or calls: time ran out, not only Gradient's patience. */
  reachedDeadline: boolean;
  authRejected: boolean;
}

export async function pushLines(deps: Pick<AppDeps, 'runs' | 'held' | 'clock'>, input: PushInput): Promise<PushResult> {
  const { gradient, call, partnerId } = input;
  const receipts: LineReceipt[] = [];
  const leftOpen: LineToSend[] = [];
  let sent = 0;
  let authRejected = false;
  let reachedDeadline = false;
  const acceptedServices = new Set<string>();

  const record = async (item: LineToSend, outcome: LineOutcome, extra: Partial<LineReceipt> = {}) => {
    const r = lineReceipt(input.runId, item.line, outcome, deps.clock.now().toISOString(), extra);
    receipts.push(r);
    await deps.runs.putReceipt(partnerId, r);
  };

  /** Gradient refused the line (404): kept so the next runs do not send it again while nothing changed. */
  const recordRefusal = (item: LineToSend) =>
    deps.held.putRefusal({
      partnerId,
      accountId: item.line.accountId,
      serviceKey: item.line.serviceKey,
      value: item.line.pushed,
      serviceId: item.serviceId,
      ...(item.mappedSince !== undefined && { mappedSince: item.mappedSince }),
      refusedAt: deps.clock.now().toISOString(),
    });

  const sendOne = async (item: LineToSend, noBuild: boolean) => {
    const { line, serviceId } = item;
    let attempts: number;
    try {
      ({ attempts } = await call('setUnitCount', () =>
        gradient.setUnitCount(serviceId, line.accountId, line.pushed, { noBuild }),
      ));
    } catch (e) {
      const error = unwrap(e);
      if (e instanceof CallFailed && e.outOfTime) reachedDeadline = true;
      if (error instanceof DeadlineReachedError) {
        // Stopped before its request (or its retry) could start: open for the next delivery.
        if (e instanceof CallFailed && e.attempts > 0) sent += 1;
        leftOpen.push(item);
        return;
      }
      // Only Gradient's answers decide a line's outcome. Anything else (a bug, the vendor key's secret read
      // failing) fails the delivery, so the redelivery resumes the line instead of recording it as failed.
      if (!(error instanceof GradientError)) throw error;
      const tries = e instanceof CallFailed ? e.attempts : 1;
      sent += 1;
      if (error instanceof GradientNotMappedError) {
        await recordRefusal(item);
        await record(item, 'not_mapped', { httpStatus: 404, attempts: tries, detail: 'Gradient: not mapped' });
      } else if (error instanceof GradientKeyRejectedError) {
        authRejected = true;
        await record(item, 'auth_failed', { httpStatus: error.status, attempts: tries, detail: error.message });
      } else if (e instanceof CallFailed && e.resumable) {
        leftOpen.push(item); // no receipt: the next delivery sends it
      } else {
        await record(item, 'failed', { httpStatus: error.status, attempts: tries, detail: errorText(error) });
      }
      return;
    }
    // Gradient accepted the count: it now holds this value, whatever period it is for. A failure to record it
    // (DynamoDB) must fail the delivery, never turn the line into a failed one.
    sent += 1;
    acceptedServices.add(serviceId);
    await deps.held.put({
      partnerId,
      accountId: line.accountId,
      serviceKey: line.serviceKey,
      value: line.pushed,
      period: input.period,
      runId: input.runId,
      acceptedAt: deps.clock.now().toISOString(),
      serviceId,
      ...(item.mappedSince !== undefined && { mappedSince: item.mappedSince }),
      ...(line.why && { basis: line.why.basis }),
    });
    if (item.wasRefused) await deps.held.deleteRefusal(partnerId, line.accountId, line.serviceKey);
    await record(item, 'accepted', { httpStatus: 201, attempts, ...(item.detail && { detail: item.detail }) });
  };

  // Lines never started: out of time they stay open for the next delivery; after an auth failure they are closed.
  const notStarted: LineToSend[] = [];
  /** Sends `items` (a pool of `limit`) until done, out of time or the key is rejected; `noBuild` by index. */
  const sendAll = async (items: LineToSend[], limit: number, noBuild: (index: number) => boolean) => {
    let outOfTime = false;
    const canStart = () => {
      if (authRejected) return false;
      outOfTime = deps.clock.now().getTime() >= input.deadline;
      return !outOfTime;
    };
    // On an unexpected error the pool stops taking lines and lets the ones in flight finish before it is
    // rethrown: the lease is released only then, so a quick redelivery cannot resend a line still on its way.
    // One at a time, each line waits for the one before: the gate is told one request at a time, so it does not
    // hold tokens whose slots pass while the answer is awaited.
    input.expect?.(limit === 1 ? 1 : items.length);
    const send = (item: LineToSend, index: number) => {
      if (limit === 1 && index > 0) input.expect?.(1);
      return sendOne(item, noBuild(index));
    };
    const started = await runLimited(items, limit, send, canStart);
    if (outOfTime) reachedDeadline = true;
    (outOfTime ? leftOpen : notStarted).push(...items.slice(started));
  };

  // Billing views should rebuild once per run: every count carries no_build=true but the very last. One line
  // per service is held back and sent at the end, the last of them for a service Gradient already accepted in
  // this run, so the rebuilding count is very likely to land — without sending any line twice.
  const heldBack = new Map<string, LineToSend>();
  for (let i = input.lines.length - 1; i >= 0 && input.lines.length > 1; i--) {
    const item = input.lines[i] as LineToSend;
    if (!heldBack.has(item.serviceId)) heldBack.set(item.serviceId, item);
  }
  const main = input.lines.filter((item) => heldBack.get(item.serviceId) !== item);
  await sendAll(main, input.maxInFlight, (index) => index !== main.length - 1 || heldBack.size > 0);

  const finals = [...heldBack.values()].sort(
    (a, b) => Number(acceptedServices.has(a.serviceId)) - Number(acceptedServices.has(b.serviceId)),
  );
  // One at a time, so the last count (the one that rebuilds) is sent after every other has landed.
  await sendAll(finals, 1, (index) => index !== finals.length - 1);
  input.expect?.(0);

  if (authRejected) {
    // Stored, not only counted: the run's receipts must account for every line it computed.
    await runLimited(notStarted, RECEIPT_WRITES_IN_FLIGHT, (item) =>
      record(item, 'auth_failed', { detail: 'not sent: Gradient rejected the Partner API key' }),
    );
  }
  return { receipts, sent, leftOpen, reachedDeadline, authRejected };
}

/** No delivery will come after this one: the lines still open are closed as failed, never left open forever. */
export async function closeOpenLines(
  deps: Pick<AppDeps, 'runs' | 'clock'>,
  input: Pick<PushInput, 'partnerId' | 'runId'>,
  open: LineToSend[],
): Promise<LineReceipt[]> {
  const at = deps.clock.now().toISOString();
  const receipts = open.map((item) =>
    lineReceipt(input.runId, item.line, 'failed', at, {
      detail: 'not sent: Gradient kept failing until the last delivery',
    }),
  );
  await runLimited(receipts, RECEIPT_WRITES_IN_FLIGHT, (r) => deps.runs.putReceipt(input.partnerId, r));
  return receipts;
}
