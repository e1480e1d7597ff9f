// What leaves the API: the domain's records mapped to the response schemas field by field, so a field added to
// a record is never returned by accident (and a Partner API key never is).
import type * as z from 'zod';
import type { MappingSyncResult } from '../../core/connection';
import {
  type Account,
  type AccountMapping,
  type CatalogService,
  DEFAULT_ALERT_PRIORITY,
  type LineReceipt,
  laneOf,
  type Run,
  type ServiceMapping,
  STORED_AVERAGE_BASIS,
} from '../../core/model';
import { closeDayOf } from '../../core/partners';
import type { AccountPage } from '../../core/ports';
import type { AccountHistory } from '../../core/read/account-history';
import type { LineUsageReadback } from '../../core/read/line-usage';
import type { PartnerOverview } from '../../core/read/partner-overview';
import type * as S from './schemas';

type Out<T extends z.ZodType> = z.output<T>;

export const serviceView = (s: CatalogService): Out<typeof S.ServiceView> => ({
  serviceKey: s.serviceKey,
  name: s.name,
  description: s.description,
  category: s.category,
  subcategory: s.subcategory,
  aggregation: s.aggregation,
  ...(s.unitScale !== undefined && { unitScale: s.unitScale }),
  ...(s.aggregation === 'average' && { averageBasis: s.averageBasis ?? STORED_AVERAGE_BASIS }),
  ...(s.gradientServiceId !== undefined && { gradientServiceId: s.gradientServiceId }),
  updatedAt: s.updatedAt,
});

export const accountView = (a: Account): Out<typeof S.AccountView> => ({
  partnerId: a.partnerId,
  accountId: a.accountId,
  name: a.name,
  ...(a.description !== undefined && { description: a.description }),
  active: a.active,
  updatedAt: a.updatedAt,
});

export const partnerView = ({ partner: p, mappings }: PartnerOverview): Out<typeof S.PartnerView> => ({
  partnerId: p.partnerId,
  status: p.status,
  roundingPolicy: p.roundingPolicy,
  closeDay: closeDayOf(p),
  ...(p.organizationId !== undefined && { organizationId: p.organizationId }),
  ...(p.organizationName !== undefined && { organizationName: p.organizationName }),
  ...(p.connectedAt !== undefined && { connectedAt: p.connectedAt }),
  updatedAt: p.updatedAt,
  ...(p.statusReason !== undefined && { statusReason: p.statusReason }),
  ...(p.lastRun && {
    lastRun: {
      runId: p.lastRun.runId,
      period: p.lastRun.period,
      status: p.lastRun.status,
      ...(p.lastRun.finishedAt !== undefined && { finishedAt: p.lastRun.finishedAt }),
      summary: p.lastRun.summary,
    },
  }),
  mappings,
  alerts: {
    enabled: p.alerts?.enabled ?? false,
    ...(p.alerts?.minUnbilledUnits !== undefined && { minUnbilledUnits: p.alerts.minUnbilledUnits }),
    priority: p.alerts?.priority ?? DEFAULT_ALERT_PRIORITY,
  },
});

export const mappingSyncView = ({
  unmapped,
  services,
  ...counts
}: MappingSyncResult): Out<typeof S.MappingSyncResultView> => ({
  ...counts,
  unmappedCount: unmapped.length,
  unmapped,
  services,
});

export const mappingsView = (mappings: {
  accounts: AccountMapping[];
  services: ServiceMapping[];
}): Out<typeof S.MappingsView> => ({
  accounts: mappings.accounts.map((a) => ({
    accountId: a.accountId,
    gradientName: a.gradientName,
    ...(a.isMapped !== undefined && { isMapped: a.isMapped }),
    syncedAt: a.syncedAt,
  })),
  services: mappings.services.map((s) => ({
    serviceKey: s.serviceKey,
    gradientServiceId: s.gradientServiceId,
    syncedAt: s.syncedAt,
  })),
});

export const runView = (r: Run): Out<typeof S.RunView> => ({
  runId: r.runId,
  partnerId: r.partnerId,
  period: r.period,
  asOf: r.asOf,
  full: r.full,
  trigger: r.trigger,
  lane: laneOf(r),
  status: r.status,
  queuedAt: r.queuedAt,
  ...(r.startedAt !== undefined && { startedAt: r.startedAt }),
  ...(r.finishedAt !== undefined && { finishedAt: r.finishedAt }),
  deliveries: r.deliveries,
  continuations: r.continuations,
  summary: r.summary,
  ...(r.error && { error: { code: r.error.code, message: r.error.message } }),
});

const lineView = (l: LineReceipt): Out<typeof S.RunDetailView>['lines'][number] => ({
  accountId: l.accountId,
  serviceKey: l.serviceKey,
  computed: l.computed,
  pushed: l.pushed,
  outcome: l.outcome,
  ...(l.httpStatus !== undefined && { httpStatus: l.httpStatus }),
  ...(l.detail !== undefined && { detail: l.detail }),
  attempts: l.attempts,
  at: l.at,
  previous: l.previous ?? null,
  ...(l.reason !== undefined && { reason: l.reason }),
  changes: l.changes ?? [],
});

export const runDetailView = ({
  run,
  receipts,
}: {
  run: Run;
  receipts: LineReceipt[];
}): Out<typeof S.RunDetailView> => ({
  ...runView(run),
  lines: receipts.map(lineView),
});

export const accountPageView = (page: AccountPage): Out<typeof S.AccountPageView> => ({
  accounts: page.accounts.map(accountView),
  ...(page.next !== undefined && { next: page.next }),
});

export const lineUsageView = (u: LineUsageReadback): Out<typeof S.LineUsageView> => ({
  accountId: u.accountId,
  serviceKey: u.serviceKey,
  period: u.period,
  asOf: u.asOf,
  aggregation: u.aggregation,
  ...(u.carryIn !== undefined && { carryIn: u.carryIn }),
  stored: u.stored.map(({ date, quantity }) => ({ date, quantity })),
  metered: u.metered.map(({ date, quantity }) => ({ date, quantity })),
  ...(u.value && { value: { computed: u.value.computed, pushed: u.value.pushed } }),
});

export const accountHistoryView = (h: AccountHistory): Out<typeof S.AccountHistoryView> => ({
  accountId: h.accountId,
  runsRead: h.runsRead,
  services: h.services.map(({ serviceKey, entries }) => ({
    serviceKey,
    entries: entries.map((e) => ({
      runId: e.runId,
      period: e.period,
      trigger: e.trigger,
      at: e.at,
      computed: e.computed,
      pushed: e.pushed,
      outcome: e.outcome,
      ...(e.httpStatus !== undefined && { httpStatus: e.httpStatus }),
      ...(e.detail !== undefined && { detail: e.detail }),
    })),
  })),
});
