// Pushing a partner's lines to Gradient: paced, concurrent, each receipt recorded as it lands, one billing
// rebuild per run, an auth failure stopping everything at once.
import { forEachLimited } from './concurrency';
import { GradientError, GradientKeyRejectedError, GradientNotMappedError } from './errors';
import { type Caller, CallFailed, describe, unwrap } from './gradient-calls';
import type { ComputedLine, LineOutcome, LineReceipt, Partner, SyncRequest } from './model';
import { lineKey } from './model';
import type { AppDeps, GradientPort } from './ports';

export interface PushOptions {
  deadline: number;
  /** Count requests in flight at once; the gate sets the rate, this only hides Gradient's latency. */
  maxInFlight: number;
  finalDelivery?: boolean;
}

export interface LineToSend {
  line: ComputedLine;
  serviceId: string;
}

export async function pushLines(
  deps: AppDeps,
  partner: Partner,
  request: SyncRequest,
  gradient: GradientPort,
  toSend: LineToSend[],
  options: PushOptions,
  call: Caller,
  receipt: (line: ComputedLine, outcome: LineOutcome, extra?: Partial<LineReceipt>) => LineReceipt,
  outcomes: Map<string, LineReceipt>,
): Promise<{ sent: number; unfinished: number; authRejected: boolean }> {
  let sent = 0;
  const leftOpen: LineToSend[] = [];
  let authRejected = false;
  let next = 0;
  const acceptedServices = new Set<string>();

  const record = async (r: LineReceipt) => {
    outcomes.set(lineKey(r.accountId, r.serviceKey), r);
    await deps.runs.putReceipt(partner.partnerId, r);
  };

  const sendOne = async (item: LineToSend, noBuild: boolean) => {
    const { line, serviceId } = item;
    let attempts: number;
    try {
      ({ attempts } = await call('setUnitCount', () =>
        gradient.setUnitCount(serviceId, line.accountId, line.pushed, { noBuild }),
      ));
    } catch (e) {
      const error = unwrap(e);
      // Only Gradient's answers decide a line's outcome. Anything else (a bug, the vendor key's secret read
      // failing) fails the delivery, so the redelivery resumes the line instead of recording it as failed.
      if (!(error instanceof GradientError)) throw error;
      const tries = e instanceof CallFailed ? e.attempts : 1;
      sent += 1;
      if (error instanceof GradientNotMappedError) {
        await record(receipt(line, 'not_mapped', { httpStatus: 404, attempts: tries, detail: 'Gradient: not mapped' }));
      } else if (error instanceof GradientKeyRejectedError) {
        authRejected = true;
        await record(
          receipt(line, 'auth_failed', { httpStatus: error.status, attempts: tries, detail: error.message }),
        );
      } else if (e instanceof CallFailed && e.resumable) {
        leftOpen.push(item); // no receipt: the redelivery sends it
      } else {
        await record(receipt(line, 'failed', { httpStatus: error.status, attempts: tries, detail: describe(error) }));
      }
      return;
    }
    // Gradient accepted the count: a failure to record it (DynamoDB) must fail the delivery, never turn the
    // line into a failed one.
    sent += 1;
    acceptedServices.add(serviceId);
    await deps.accepted.put({
      partnerId: partner.partnerId,
      period: request.period,
      accountId: line.accountId,
      serviceKey: line.serviceKey,
      value: line.pushed,
      runId: request.runId,
      acceptedAt: deps.clock.now().toISOString(),
    });
    await record(receipt(line, 'accepted', { httpStatus: 201, attempts }));
  };

  // Billing views should rebuild once per run: every count carries no_build=true but the very last. One line
  // per service is held back and sent at the end, the last of them for a service Gradient already accepted in
  // this run, so the rebuilding count is very likely to land — without sending any line twice.
  const heldBack = new Map<string, LineToSend>();
  for (let i = toSend.length - 1; i >= 0 && toSend.length > 1; i--) {
    if (!heldBack.has(toSend[i]!.serviceId)) heldBack.set(toSend[i]!.serviceId, toSend[i]!);
  }
  const main = toSend.filter((item) => heldBack.get(item.serviceId) !== item);
  const queue = [...main];

  const stopIfOutOfTime = (): boolean => {
    if (deps.clock.now().getTime() < options.deadline) return false;
    leftOpen.push(...queue.slice(next));
    next = queue.length;
    return true;
  };
  // On an unexpected error the other workers stop taking lines and finish the ones in flight before it is
  // rethrown: the lease is released only then, so a quick redelivery cannot resend a line still on its way.
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < queue.length && !authRejected && !failure && !stopIfOutOfTime()) {
      const index = next++;
      try {
        await sendOne(queue[index]!, index !== queue.length - 1 || heldBack.size > 0);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.maxInFlight, queue.length)) }, worker));
  if (failure) throw failure.error;

  const finals = [...heldBack.values()].sort(
    (a, b) => Number(acceptedServices.has(a.serviceId)) - Number(acceptedServices.has(b.serviceId)),
  );
  queue.push(...finals);
  while (next < queue.length && !authRejected && !stopIfOutOfTime()) {
    const index = next++;
    await sendOne(queue[index]!, index !== queue.length - 1);
  }

  if (authRejected) {
    // Stored, not only counted: the run's receipts must account for every line it computed.
    await forEachLimited(queue.slice(next), 16, (item) =>
      record(receipt(item.line, 'auth_failed', { detail: 'not sent: Gradient rejected the Partner API key' })),
    );
  }
  if (options.finalDelivery && !authRejected) {
    // No redelivery will come: close the lines instead of leaving the run open forever.
    await forEachLimited(leftOpen.splice(0), 16, (item) =>
      record(receipt(item.line, 'failed', { detail: 'not sent: Gradient kept failing until the last delivery' })),
    );
  }
  return { sent, unfinished: leftOpen.length, authRejected };
}
