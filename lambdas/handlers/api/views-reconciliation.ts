// What the reconciliation routes answer: the domain's statements, unmapped lists and fleet pages mapped to the response schemas field by field.
import type * as z from 'zod';
import { DEFAULT_ALERT_PRIORITY } from '../../core/model';
import type { PartnerAlerts } from '../../core/read/alerts';
import type { FleetPage } from '../../core/read/fleet';
import type { Statement } from '../../core/read/statements/build';
import type { UnmappedList } from '../../core/read/statements/unmapped';
import type * as S from './schemas';

type Out<T extends z.ZodType> = z.output<T>;

export const statementView = (s: Statement): Out<typeof S.StatementView> => ({
  partnerId: s.partnerId,
  period: s.period,
  asOf: s.asOf,
  closed: s.closed,
  roundingPolicy: s.roundingPolicy,
  lines: s.lines.map((l) => ({
    accountId: l.accountId,
    accountName: l.accountName,
    serviceKey: l.serviceKey,
    serviceName: l.serviceName,
    computed: l.computed,
    pushed: l.pushed,
    roundingDelta: l.roundingDelta,
    held: l.held,
    heldAt: l.heldAt,
    mapped: l.mapped,
    outcome: l.outcome,
    reason: l.reason,
  })),
  services: s.services.map((r) => ({
    serviceKey: r.serviceKey,
    serviceName: r.serviceName,
    lines: r.lines,
    computed: r.computed,
    pushed: r.pushed,
    roundingDelta: r.roundingDelta,
    notMappedLines: r.notMappedLines,
    notMappedUnits: r.notMappedUnits,
  })),
  adjustments: s.adjustments.map((a) => ({
    accountId: a.accountId,
    serviceKey: a.serviceKey,
    closedValue: a.closedValue,
    currentValue: a.currentValue,
    at: a.at,
  })),
});

export const unmappedView = (u: UnmappedList): Out<typeof S.UnmappedView> => ({
  partnerId: u.partnerId,
  period: u.period,
  accounts: u.accounts.map((a) => ({
    accountId: a.accountId,
    name: a.name,
    units: a.units.map((x) => ({ serviceKey: x.serviceKey, computed: x.computed })),
    suggestions: [...a.suggestions],
  })),
  services: u.services.map((s) => ({ serviceKey: s.serviceKey, name: s.name, units: s.units })),
});

export const alertListView = (a: PartnerAlerts): Out<typeof S.AlertListView> => ({
  partnerId: a.partnerId,
  period: a.period,
  settings: {
    enabled: a.settings?.enabled ?? false,
    ...(a.settings?.minUnbilledUnits !== undefined && { minUnbilledUnits: a.settings.minUnbilledUnits }),
    priority: a.settings?.priority ?? DEFAULT_ALERT_PRIORITY,
  },
  alerts: a.alerts.map((x) => ({
    alertId: x.alertId,
    kind: x.kind,
    ...(x.subject !== undefined && { subject: x.subject }),
    accountId: x.accountId,
    title: x.title,
    status: x.status,
    attempts: x.attempts,
    ...(x.messageId !== undefined && { messageId: x.messageId }),
    ...(x.ticketId !== undefined && { ticketId: x.ticketId }),
    ...(x.detail !== undefined && { detail: x.detail }),
    createdAt: x.createdAt,
    updatedAt: x.updatedAt,
  })),
  ...(a.refusal && { refusal: { reason: a.refusal.reason, runId: a.refusal.runId, at: a.refusal.at } }),
});

export const fleetView = (f: FleetPage): Out<typeof S.FleetView> => ({
  partners: f.partners.map((p) => ({
    partnerId: p.partnerId,
    organizationName: p.organizationName,
    status: p.status,
    statusReason: p.statusReason,
    lastRun: p.lastRun && { ...p.lastRun, summary: { ...p.lastRun.summary } },
    lastAcceptedAt: p.lastAcceptedAt,
    unmappedAccounts: p.unmappedAccounts,
    failedLines: p.failedLines,
    pendingSince: p.pendingSince,
  })),
  ...(f.nextCursor !== undefined && { nextCursor: f.nextCursor }),
});
