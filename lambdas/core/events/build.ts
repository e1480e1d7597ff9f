// The vendor's events, built from the domain's records (docs/events.md). Pure.
import {
  type BillingAlertRaisedDetail,
  EVENT_SOURCE,
  type Partner,
  type PartnerStatusChangedDetail,
  type Run,
  type RunDeadLetteredDetail,
  type SyncRequest,
  type VendorEvent,
} from '../model';

export const runFinishedEvent = (run: Run): VendorEvent => ({
  source: EVENT_SOURCE,
  detailType: 'Run Finished',
  detail: {
    partnerId: run.partnerId,
    runId: run.runId,
    period: run.period,
    asOf: run.asOf,
    trigger: run.trigger,
    status: run.status,
    summary: { ...run.summary },
    ...(run.error && { error: { code: run.error.code, message: run.error.message } }),
    finishedAt: run.finishedAt ?? '',
  },
});

/** The partner's status moved (a save, a rejected key, a disconnect, a first accepted count); undefined if not. */
export function partnerStatusEvent(
  before: Pick<Partner, 'status'> | undefined,
  after: Partner,
  at: string,
): VendorEvent | undefined {
  if (before?.status === after.status) return undefined;
  const detail: PartnerStatusChangedDetail = {
    partnerId: after.partnerId,
    ...(after.organizationName !== undefined && { organizationName: after.organizationName }),
    ...(before && { from: before.status }),
    to: after.status,
    ...(after.statusReason !== undefined && { reason: after.statusReason }),
    at,
  };
  return { source: EVENT_SOURCE, detailType: 'Partner Status Changed', detail };
}

export const runDeadLetteredEvent = (
  request: SyncRequest,
  detail: Pick<RunDeadLetteredDetail, 'receiveCount' | 'reason' | 'at'>,
): VendorEvent => ({
  source: EVENT_SOURCE,
  detailType: 'Run Dead-Lettered',
  detail: { partnerId: request.partnerId, runId: request.runId, period: request.period, ...detail },
});

export const alertRaisedEvent = (detail: BillingAlertRaisedDetail): VendorEvent => ({
  source: EVENT_SOURCE,
  detailType: 'Billing Alert Raised',
  detail,
});
