// After a partner's nightly run: the billing-health alerts it calls for, posted to Gradient's alerting route
// (README, "Billing-health alerts"). Loads the facts, asks the rules (`rules.ts`) what is due, claims each alert in
// the store before posting it (so two deliveries never post one twice), records Gradient's answer, then asks the
// debug route for the tickets not yet known. Every call is drawn from the run's rate gate, after its last count; a
// post is made once per attempt (no retry inside a run: a repeated post could open a second ticket).
import { type CallOptions, callerFor, errorText, pacedGradient } from '../calls/caller';
import { storedKeyGradient } from '../calls/fresh-keys';
import { alertRaisedEvent } from '../events/build';
import { publishSafely } from '../events/publish';
import { isRunFinished, type Partner, type Run, type SentAlert, type VendorEvent } from '../model';
import { closeDayOf, isSyncEnabled } from '../partners';
import { todayUtc } from '../period';
import type { AppDeps, GradientPort } from '../ports';
import { suggestCompanies } from '../read/statements/suggest';
import { listUnmapped } from '../read/statements/unmapped';
import { alertFailureOf } from './outcome';
import { type AlertFacts, type AlertToSend, alertsToSend, mayHaveUnbilled } from './rules';

/** The earlier runs looked at for "two nights in a row". */
const EARLIER_RUNS = 10;

export type AlertRound =
  | { kind: 'skipped'; why: 'not_nightly' | 'not_opted_in' | 'not_connected' | 'refused_earlier' | 'no_key' }
  | { kind: 'done'; sent: number; failed: number; tickets: number; refused?: string };

/**
 * `runPartner`: the partner as the run just left it, so the round costs no read of it; read when absent (a redelivery
 * of a finished run).
 */
export async function alertAfterRun(
  deps: AppDeps,
  run: Run,
  options: CallOptions,
  runPartner?: Partner,
): Promise<AlertRound> {
  if (run.trigger !== 'schedule') return { kind: 'skipped', why: 'not_nightly' };
  const { partnerId, period } = run;
  const partner = runPartner ?? (await deps.partners.get(partnerId));
  if (!partner?.alerts?.enabled) return { kind: 'skipped', why: 'not_opted_in' };
  // A rejected key cannot raise a Gradient alert (the key is the MSP's); a disconnected partner has no PSA link.
  if (!isSyncEnabled(partner.status)) return { kind: 'skipped', why: 'not_connected' };
  const stored = await deps.alerts.list(partnerId, period);
  if (stored.refusal) return { kind: 'skipped', why: 'refused_earlier' };
  const gradient = await storedKeyGradient(deps, partnerId);
  if (!gradient) return { kind: 'skipped', why: 'no_key' };
  const once = pacedGradient(gradient, callerFor(deps, { ...options, retry: { ...options.retry, maxAttempts: 1 } }));
  const paced = pacedGradient(gradient, callerFor(deps, options));

  const [unmapped, runs, accountMappings] = await Promise.all([
    mayHaveUnbilled(run.summary)
      ? listUnmapped(deps, partnerId, period, { suggestions: false })
      : { accounts: [], services: [] },
    deps.runs.list(partnerId, EARLIER_RUNS),
    deps.mappings.listAccounts(partnerId),
  ]);
  const known = accountMappings.map((m) => m.accountId).sort();
  const mapped = accountMappings
    .filter((m) => m.isMapped === true)
    .map((m) => m.accountId)
    .sort();
  const facts: AlertFacts = {
    partnerId,
    period,
    // The night the run was queued for (a continuation past midnight is still that night's run).
    night: todayUtc(new Date(run.queuedAt)),
    closeDay: closeDayOf(partner),
    settings: partner.alerts,
    runStatus: run.status,
    earlierRunStatuses: runs
      .filter((r) => r.runId < run.runId && r.trigger === 'schedule' && isRunFinished(r.status))
      .map((r) => r.status),
    unmappedAccounts: unmapped.accounts,
    refusedServices: unmapped.services
      .filter((s) => s.gradientServiceId !== undefined)
      .map((s) => ({ ...s, gradientServiceId: s.gradientServiceId as string })),
    sent: stored.alerts,
    homeAccountId: mapped[0] ?? known[0],
  };
  let due = alertsToSend(facts);
  if (due.some((a) => a.kind === 'unmapped_account')) due = alertsToSend(await withSuggestions(deps, paced, facts));

  const before = new Map(stored.alerts.map((a) => [a.alertId, a]));
  const round: Omit<Extract<AlertRound, { kind: 'done' }>, 'kind'> = { sent: 0, failed: 0, tickets: 0 };
  const posted: SentAlert[] = [];
  const raised: VendorEvent[] = [];
  for (const alert of due) {
    const result = await post(deps, once, run, alert, before.get(alert.alertId));
    if (result.kind === 'not_claimed') continue;
    raised.push(
      alertRaisedEvent({
        partnerId,
        period,
        alertId: alert.alertId,
        kind: alert.kind,
        ...(alert.subject !== undefined && { subject: alert.subject }),
        title: alert.title,
        status: result.kind === 'sent' ? 'sent' : result.kind === 'stop' ? 'failed' : result.kind,
        at: deps.clock.now().toISOString(),
      }),
    );
    if (result.kind === 'sent') {
      round.sent++;
      posted.push(result.alert);
      continue;
    }
    round.failed++;
    if (result.kind === 'refused') {
      round.refused = result.reason;
      const at = deps.clock.now().toISOString();
      if (await deps.alerts.refuse({ partnerId, period, reason: result.reason, runId: run.runId, at })) {
        deps.log.warn('Gradient refused the alerts: none are sent this period', {
          partnerId,
          period,
          reason: result.reason,
        });
      }
      break;
    }
    if (result.kind === 'stop') break;
  }
  await publishSafely(deps, raised);
  deps.metrics.add('AlertsSent', round.sent);
  deps.metrics.add('AlertsFailed', round.failed);

  const unticketed = [...stored.alerts.filter((a) => a.status === 'sent' && !a.ticketId), ...posted];
  round.tickets = await lookUpTickets(deps, paced, unticketed);
  if (round.sent + round.failed > 0) deps.log.info('alerts sent', { partnerId, runId: run.runId, period, ...round });
  return { kind: 'done', ...round };
}

async function withSuggestions(deps: AppDeps, gradient: GradientPort, facts: AlertFacts): Promise<AlertFacts> {
  let companies: string[];
  try {
    companies = await gradient.listClientNames();
  } catch (error) {
    deps.log.warn('Get Clients failed: alerts go without suggestions', {
      partnerId: facts.partnerId,
      error: errorText(error),
    });
    return facts;
  }
  return {
    ...facts,
    unmappedAccounts: facts.unmappedAccounts.map((a) => ({ ...a, suggestions: suggestCompanies(a.name, companies) })),
  };
}

type PostResult =
  | { kind: 'not_claimed' }
  | { kind: 'sent'; alert: SentAlert }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed' | 'uncertain' | 'stop' };

async function post(
  deps: AppDeps,
  gradient: GradientPort,
  run: Run,
  alert: AlertToSend,
  before: SentAlert | undefined,
): Promise<PostResult> {
  const now = deps.clock.now().toISOString();
  const record: SentAlert = {
    partnerId: run.partnerId,
    period: run.period,
    alertId: alert.alertId,
    kind: alert.kind,
    ...(alert.subject !== undefined && { subject: alert.subject }),
    accountId: alert.accountId,
    title: alert.title,
    status: 'sending',
    attempts: (before?.attempts ?? 0) + 1,
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
  };
  if (!(await deps.alerts.claim(record))) return { kind: 'not_claimed' };
  const { partnerId, period, alertId } = record;
  let queued: Awaited<ReturnType<GradientPort['postAlert']>>;
  try {
    queued = await gradient.postAlert(alert.accountId, {
      title: alert.title,
      description: alert.description,
      alertId,
      priority: alert.priority,
      ...(alert.gradientServiceId !== undefined && { serviceId: alert.gradientServiceId }),
    });
  } catch (error) {
    const failure = alertFailureOf(error);
    const detail = errorText(error);
    const status = failure === 'uncertain' ? 'uncertain' : 'failed';
    await deps.alerts.update(partnerId, period, alertId, { status, detail, updatedAt: deps.clock.now().toISOString() });
    deps.log.warn('alert not sent', { partnerId, period, alertId, outcome: failure, error: detail });
    return failure === 'refused' ? { kind: 'refused', reason: detail } : { kind: failure };
  }
  // A store failure here leaves the alert `sending`: never posted again (at most one ticket), never looked up.
  const sent = { status: 'sent' as const, messageId: queued.messageId, updatedAt: deps.clock.now().toISOString() };
  await deps.alerts.update(partnerId, period, alertId, sent);
  return { kind: 'sent', alert: { ...record, ...sent } };
}

/** Asks the debug route about each alert without a known ticket; answers how many tickets it learnt of. */
async function lookUpTickets(deps: AppDeps, gradient: GradientPort, alerts: SentAlert[]): Promise<number> {
  let found = 0;
  for (const alert of alerts) {
    if (!alert.messageId) continue;
    try {
      const ticket = await gradient.getAlertTicket(alert.messageId);
      const updatedAt = deps.clock.now().toISOString();
      if (ticket.ticketId) {
        found++;
        await deps.alerts.update(alert.partnerId, alert.period, alert.alertId, {
          status: 'ticketed',
          ticketId: ticket.ticketId,
          updatedAt,
        });
      } else if (ticket.status === 'failed') {
        // No ticket will come of it: the next run sends it again.
        const detail = [ticket.message, ...(ticket.errors ?? [])].filter(Boolean).join('; ') || 'ticket failed';
        await deps.alerts.update(alert.partnerId, alert.period, alert.alertId, { status: 'failed', detail, updatedAt });
      }
    } catch (error) {
      // The look-up is tried again on the next run; nothing depends on it tonight.
      deps.log.warn('alert ticket look-up failed', {
        partnerId: alert.partnerId,
        alertId: alert.alertId,
        error: errorText(error),
      });
    }
  }
  return found;
}
