// In-memory implementations of every core port, for unit tests of one use case. The main path and the
// integration tests use the real adapters against dynalite and the emulators instead.
import { ACCOUNTS_PER_REQUEST } from '../../lambdas/adapters/gradient-client';
import { GradientBadRequestError, GradientKeyRejectedError, GradientNotMappedError } from '../../lambdas/core/errors';
import type {
  Account,
  AccountMapping,
  AlertRefusal,
  CatalogService,
  ClosedStatement,
  HeldValue,
  LineReceipt,
  LineUsage,
  Partner,
  PartnerLease,
  Refusal,
  ResyncClaim,
  Run,
  SentAlert,
  ServiceMapping,
  SyncRequest,
  UsageSnapshot,
  VendorEvent,
} from '../../lambdas/core/model';
import { ALERT_RETRY_STATUSES, lineKey } from '../../lambdas/core/model';
import type {
  AppDeps,
  Clock,
  GradientAccount,
  GradientAccountInput,
  GradientAlertInput,
  GradientAlertQueued,
  GradientAlertTicket,
  GradientIntegrationStatus,
  GradientOrganization,
  GradientPort,
  GradientServiceInput,
  GradientSku,
  Log,
  MetricName,
  RateBudgetClaim,
  RateBudgetCounters,
  RateBudgetStore,
  RunRepository,
} from '../../lambdas/core/ports';
import { QUEUE_BATCH_MAX } from '../../lambdas/core/ports';
import { partnerLeaseFree } from '../../lambdas/core/sync/run-lifecycle';

const clone = <T>(v: T): T => structuredClone(v);

export class VirtualClock implements Clock {
  constructor(public ms = Date.parse('2026-11-26T02:00:00.000Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
  async sleep(ms: number): Promise<void> {
    this.ms += Math.max(0, ms);
  }
}

export class MemoryRuns implements RunRepository {
  readonly runs = new Map<string, Run>();
  readonly receipts = new Map<string, Map<string, LineReceipt>>();
  /** The partner leases, by partner. */
  readonly leases = new Map<string, PartnerLease>();
  private key = (p: string, r: string) => `${p}|${r}`;

  async *listOpen(): AsyncGenerator<Run> {
    for (const run of this.runs.values()) if (run.status === 'queued' || run.status === 'running') yield clone(run);
  }
  async leasePartner(partnerId: string, lease: PartnerLease, now: string) {
    const held = this.leases.get(partnerId);
    if (!partnerLeaseFree(held, lease.runId, now)) return { kind: 'held' as const, lease: clone(held!) };
    this.leases.set(partnerId, clone(lease));
    return { kind: 'taken' as const };
  }
  async releasePartner(partnerId: string, runId: string): Promise<void> {
    if (this.leases.get(partnerId)?.runId === runId) this.leases.delete(partnerId);
  }
  /** Resync idempotency claims, by partner and key. */
  readonly claims = new Map<string, ResyncClaim>();
  async getClaim(partnerId: string, key: string, now: string) {
    const c = this.claims.get(this.key(partnerId, key));
    return c && c.expiresAt > now ? clone(c) : undefined;
  }
  async claim(partnerId: string, claim: ResyncClaim, now: string) {
    const existing = await this.getClaim(partnerId, claim.key, now);
    if (existing) return { kind: 'existing' as const, claim: existing };
    this.claims.set(this.key(partnerId, claim.key), clone(claim));
    return { kind: 'claimed' as const };
  }
  async forgetClaim(partnerId: string, key: string): Promise<void> {
    this.claims.delete(this.key(partnerId, key));
  }

  async create(run: Run): Promise<void> {
    if (!this.runs.has(this.key(run.partnerId, run.runId)))
      this.runs.set(this.key(run.partnerId, run.runId), clone(run));
  }
  async get(partnerId: string, runId: string): Promise<Run | undefined> {
    const r = this.runs.get(this.key(partnerId, runId));
    return r && clone(r);
  }
  async list(partnerId: string, limit: number, options: { before?: string } = {}): Promise<Run[]> {
    const { before } = options;
    return [...this.runs.values()]
      .filter((r) => r.partnerId === partnerId && (before === undefined || r.runId < before))
      .sort((a, b) => b.runId.localeCompare(a.runId))
      .slice(0, limit)
      .map(clone);
  }
  async acquire(partnerId: string, runId: string, now: string, leaseUntil: string) {
    const run = this.runs.get(this.key(partnerId, runId));
    if (!run) return { kind: 'missing' as const };
    if (run.status === 'queued' || (run.status === 'running' && (run.leaseUntil ?? '') < now)) {
      run.status = 'running';
      run.leaseUntil = leaseUntil;
      run.startedAt ??= now;
      run.deliveries += 1;
      return { kind: 'acquired' as const, run: clone(run) };
    }
    if (run.status === 'running') return { kind: 'busy' as const };
    return { kind: 'finished' as const, run: clone(run) };
  }
  async update(partnerId: string, runId: string, patch: Partial<Run>): Promise<void> {
    const run = this.runs.get(this.key(partnerId, runId));
    if (!run) throw new Error(`no run ${runId}`);
    Object.assign(run, clone(patch));
  }
  async putReceipt(partnerId: string, receipt: LineReceipt): Promise<void> {
    const k = this.key(partnerId, receipt.runId);
    if (!this.receipts.has(k)) this.receipts.set(k, new Map());
    this.receipts.get(k)!.set(lineKey(receipt.accountId, receipt.serviceKey), clone(receipt));
  }
  async putReceipts(partnerId: string, receipts: LineReceipt[]): Promise<void> {
    for (const r of receipts) await this.putReceipt(partnerId, r);
  }
  async listReceipts(partnerId: string, runId: string): Promise<LineReceipt[]> {
    return [...(this.receipts.get(this.key(partnerId, runId))?.values() ?? [])].map(clone);
  }
  async listAccountReceipts(partnerId: string, runId: string, accountId: string): Promise<LineReceipt[]> {
    return (await this.listReceipts(partnerId, runId)).filter((r) => r.accountId === accountId);
  }
}

/** A scripted Gradient for unit tests: accounts, mapping flags, counts, and errors to throw on demand. */
export class FakeGradient implements GradientPort {
  organization: GradientOrganization = { organizationId: 'org-1', name: 'Example MSP' };
  status: GradientIntegrationStatus = 'inactive';
  accounts = new Map<string, GradientAccount>();
  skus: GradientSku[] = [];
  mappedServices = new Set<string>();
  /** The PSA company names Get Clients answers. */
  clientNames: string[] = [];
  counts: Array<{ serviceId: string; accountId: string; unitCount: number; noBuild: boolean }> = [];
  /** Alerts received, by account; `alertsModule: false` refuses them as Gradient does without the module. */
  alerts: Array<{ accountId: string; messageId: string } & GradientAlertInput> = [];
  alertsModule = true;
  calls: string[] = [];
  /** Called before every request; throw from it to inject a failure. */
  beforeCall: (route: string) => void = () => {};

  private call(route: string) {
    this.calls.push(route);
    this.beforeCall(route);
  }
  async getOrganization() {
    this.call('getOrganization');
    return clone(this.organization);
  }
  async updateIntegrationStatus(status: GradientIntegrationStatus) {
    this.call('updateIntegrationStatus');
    this.status = status;
  }
  async listAccounts() {
    this.call('listAccounts');
    return [...this.accounts.values()].map(clone);
  }
  /** Like the real client: one request per ACCOUNTS_PER_REQUEST accounts, none for an empty list. */
  async createAccounts(accounts: GradientAccountInput[]) {
    for (let i = 0; i < accounts.length; i += ACCOUNTS_PER_REQUEST) {
      this.call('createAccounts');
      for (const a of accounts.slice(i, i + ACCOUNTS_PER_REQUEST)) this.accounts.set(a.id, { ...a, isMapped: false });
    }
  }
  async updateAccount(accountId: string, patch: { name?: string; description?: string }) {
    this.call('updateAccount');
    const a = this.accounts.get(accountId);
    if (a) Object.assign(a, patch);
  }
  async listVendorServices() {
    this.call('listVendorServices');
    return clone(this.skus);
  }
  async createVendorService(service: GradientServiceInput) {
    this.call('createVendorService');
    this.skus.push({ id: `sku-${this.skus.length + 1}`, ...service });
    return clone(this.skus);
  }
  async setUnitCount(serviceId: string, accountId: string, unitCount: number, options: { noBuild: boolean }) {
    this.call('setUnitCount');
    if (!this.accounts.get(accountId)?.isMapped || !this.mappedServices.has(serviceId)) {
      throw new GradientNotMappedError(`No account map found with id: ${accountId}`, 404);
    }
    this.counts.push({ serviceId, accountId, unitCount, noBuild: options.noBuild });
  }
  async listClientNames() {
    this.call('listClientNames');
    return [...this.clientNames];
  }
  async postAlert(accountId: string, alert: GradientAlertInput): Promise<GradientAlertQueued> {
    this.call('postAlert');
    if (!this.alertsModule) throw new GradientBadRequestError('Alerts module is not enabled', 400);
    const messageId = `msg-${this.alerts.length + 1}`;
    this.alerts.push({ accountId, messageId, ...clone(alert) });
    return { messageId, alertId: alert.alertId };
  }
  async getAlertTicket(messageId: string): Promise<GradientAlertTicket> {
    this.call('getAlertTicket');
    const index = this.alerts.findIndex((a) => a.messageId === messageId);
    return index < 0
      ? { status: 'failed', errors: ['unknown message'] }
      : { ticketId: `T-${index + 1}`, status: 'success' };
  }
}

/** The shared rate budget's windows in memory, with DynamoRateBudget's rule; `failing` makes claims throw. */
export class MemoryRateBudget implements RateBudgetStore {
  /** Counter per `<scope>#<window>`. */
  readonly windows = new Map<string, number>();
  claims = 0;
  failing: Error | undefined;

  /** Per `<scope>#<window>`, each lane's tokens. */
  readonly lanes = new Map<string, RateBudgetCounters['lanes']>();

  async claim(c: RateBudgetClaim): Promise<RateBudgetCounters | undefined> {
    this.claims += 1;
    if (this.failing) throw this.failing;
    const key = `${c.scope}#${c.window}`;
    const counter = this.windows.get(key);
    const lanes = { ...this.lanes.get(key) };
    if (counter !== undefined && counter > c.capacity - c.count) return undefined;
    if ((lanes[c.lane] ?? 0) > c.laneCap - c.count) return undefined;
    const next = (counter ?? c.from) + c.count;
    if (next > c.capacity) throw new RangeError(`a claim of ${c.count} from ${c.from} passes ${c.capacity}`);
    lanes[c.lane] = (lanes[c.lane] ?? 0) + c.count;
    this.windows.set(key, next);
    this.lanes.set(key, lanes);
    return { tokens: next, lanes };
  }

  async counters(scope: string, window: number): Promise<RateBudgetCounters | undefined> {
    if (this.failing) throw this.failing;
    const tokens = this.windows.get(`${scope}#${window}`);
    return tokens === undefined ? undefined : { tokens, lanes: { ...this.lanes.get(`${scope}#${window}`) } };
  }
}

export interface MemoryDeps extends AppDeps {
  clock: VirtualClock;
  runs: MemoryRuns;
  budget: MemoryRateBudget;
  state: {
    partners: Map<string, Partner>;
    catalog: Map<string, CatalogService>;
    accounts: Map<string, Account>;
    accountMappings: Map<string, AccountMapping>;
    serviceMappings: Map<string, ServiceMapping>;
    snapshots: Map<string, UsageSnapshot>;
    held: Map<string, HeldValue>;
    statements: Map<string, ClosedStatement>;
    alerts: Map<string, SentAlert>;
    alertRefusals: Map<string, AlertRefusal>;
    refusals: Map<string, Refusal>;
    keys: Map<string, string>;
    /** Rate-limit counters by key and window start. */
    attempts: Map<string, number>;
    sent: SyncRequest[];
    /** The size of each batch send, in order. */
    batches: number[];
    logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
    /** Events published, in order. */
    events: VendorEvent[];
    metrics: Array<{ name: MetricName; value: number }>;
  };
  /** Gradient per partner key; a key that is not here is rejected with 401. */
  gradients: Map<string, FakeGradient>;
}

export function memoryDeps(): MemoryDeps {
  const state: MemoryDeps['state'] = {
    partners: new Map(),
    catalog: new Map(),
    accounts: new Map(),
    accountMappings: new Map(),
    serviceMappings: new Map(),
    snapshots: new Map(),
    held: new Map(),
    statements: new Map(),
    alerts: new Map(),
    alertRefusals: new Map(),
    refusals: new Map(),
    keys: new Map(),
    attempts: new Map(),
    sent: [],
    batches: [],
    logs: [],
    metrics: [],
    events: [],
  };
  const gradients = new Map<string, FakeGradient>();
  const byPartner = <T extends { partnerId: string }>(m: Map<string, T>, partnerId: string) =>
    [...m.values()].filter((v) => v.partnerId === partnerId).map(clone);
  const log =
    (level: string): Log[keyof Log] =>
    (message, fields) =>
      state.logs.push({ level, message, fields: fields && clone(fields) });

  return {
    state,
    events: { publish: async (events) => void state.events.push(...clone(events)) },
    gradients,
    clock: new VirtualClock(),
    runs: new MemoryRuns(),
    partners: {
      get: async (id) => clone(state.partners.get(id)),
      put: async (p) => {
        const before = state.partners.get(p.partnerId);
        state.partners.set(p.partnerId, clone(p));
        return before;
      },
      async *listSyncEnabled() {
        for (const p of [...state.partners.values()].sort((a, b) => a.partnerId.localeCompare(b.partnerId))) {
          if (p.status === 'pending' || p.status === 'connected') yield clone(p);
        }
      },
      async listByActivity({ limit, status, after }) {
        const order = (p: Pick<Partner, 'updatedAt' | 'partnerId'>) => `${p.updatedAt}|${p.partnerId}`;
        return [...state.partners.values()]
          .filter((p) => (status === undefined || p.status === status) && (!after || order(p) < order(after)))
          .sort((a, b) => order(b).localeCompare(order(a)))
          .slice(0, limit)
          .map(clone);
      },
    },
    catalog: {
      list: async () => [...state.catalog.values()].map(clone),
      get: async (k) => clone(state.catalog.get(k)),
      put: async (s) => void state.catalog.set(s.serviceKey, clone(s)),
    },
    accounts: {
      list: async (p) => byPartner(state.accounts, p),
      page: async (p, limit, after) => {
        const all = byPartner(state.accounts, p)
          .sort((a, b) => (a.accountId < b.accountId ? -1 : 1))
          .filter((a) => after === undefined || a.accountId > after);
        const accounts = all.slice(0, limit);
        return { accounts, ...(all.length > limit && { next: accounts.at(-1)!.accountId }) };
      },
      get: async (p, a) => clone(state.accounts.get(`${p}|${a}`)),
      put: async (a) => void state.accounts.set(`${a.partnerId}|${a.accountId}`, clone(a)),
    },
    mappings: {
      listAccounts: async (p) => byPartner(state.accountMappings, p),
      listServices: async (p) => byPartner(state.serviceMappings, p),
      putAccounts: async (ms) => {
        for (const m of ms) state.accountMappings.set(`${m.partnerId}|${m.accountId}`, clone(m));
      },
      putServices: async (ms) => {
        for (const m of ms) state.serviceMappings.set(`${m.partnerId}|${m.serviceKey}`, clone(m));
      },
      deleteAll: async (p) => {
        for (const [k, v] of state.accountMappings) if (v.partnerId === p) state.accountMappings.delete(k);
        for (const [k, v] of state.serviceMappings) if (v.partnerId === p) state.serviceMappings.delete(k);
      },
    },
    usage: {
      putSnapshots: async (snaps) => {
        for (const s of snaps) state.snapshots.set(`${s.partnerId}|${s.accountId}|${s.serviceKey}|${s.date}`, clone(s));
      },
      linesForPeriod: async (partnerId, period) => {
        const lines = new Map<string, LineUsage & { carryDate?: string }>();
        for (const s of state.snapshots.values()) {
          if (s.partnerId !== partnerId || s.date.slice(0, 7) > period) continue;
          const k = lineKey(s.accountId, s.serviceKey);
          const line = lines.get(k) ?? { accountId: s.accountId, serviceKey: s.serviceKey, snapshots: [] };
          lines.set(k, line);
          if (s.date.slice(0, 7) === period) line.snapshots.push({ date: s.date, quantity: s.quantity });
          else if (!line.carryDate || s.date > line.carryDate) {
            line.carryDate = s.date;
            line.carryIn = s.quantity;
          }
        }
        return [...lines.values()].map(({ carryDate: _, ...l }) => ({
          ...l,
          snapshots: l.snapshots.sort((a, b) => a.date.localeCompare(b.date)),
        }));
      },
      async lineForPeriod(partnerId, accountId, serviceKey, period) {
        const lines = await this.linesForPeriod(partnerId, period);
        return lines.find((l) => l.accountId === accountId && l.serviceKey === serviceKey);
      },
    },
    statements: {
      getClosed: async (p, period) => {
        const closed = state.statements.get(`${p}#${period}`);
        return closed && clone(closed);
      },
      putClosed: async (c) => void state.statements.set(`${c.partnerId}#${c.period}`, { ...clone(c), adjustments: [] }),
      putAdjustments: async (p, period, adjustments) => {
        const closed = state.statements.get(`${p}#${period}`);
        if (!closed) return;
        const key = (a: { accountId: string; serviceKey: string }) => `${a.accountId}#${a.serviceKey}`;
        const next = new Set(adjustments.map(key));
        closed.adjustments = [...closed.adjustments.filter((a) => !next.has(key(a))), ...clone(adjustments)];
      },
    },
    alerts: {
      list: async (p, period) => {
        const of = [...state.alerts.values()].filter((a) => a.partnerId === p && a.period === period).map(clone);
        const refusal = state.alertRefusals.get(`${p}#${period}`);
        return { alerts: of, ...(refusal && { refusal: clone(refusal) }) };
      },
      claim: async (a) => {
        const key = `${a.partnerId}#${a.period}#${a.alertId}`;
        const before = state.alerts.get(key);
        if (before && !(ALERT_RETRY_STATUSES as readonly string[]).includes(before.status)) return false;
        state.alerts.set(key, clone(a));
        return true;
      },
      update: async (p, period, alertId, patch) => {
        const alert = state.alerts.get(`${p}#${period}#${alertId}`);
        if (!alert) throw new Error(`no alert ${alertId}`);
        Object.assign(alert, clone(patch));
      },
      refuse: async (r) => {
        const key = `${r.partnerId}#${r.period}`;
        if (state.alertRefusals.has(key)) return false;
        state.alertRefusals.set(key, clone(r));
        return true;
      },
    },
    held: {
      list: async (p) => byPartner(state.held, p),
      put: async (v) => void state.held.set(`${v.partnerId}|${v.accountId}|${v.serviceKey}`, clone(v)),
      deleteAll: async (p) => {
        for (const [k, v] of state.held) if (v.partnerId === p) state.held.delete(k);
        for (const [k, v] of state.refusals) if (v.partnerId === p) state.refusals.delete(k);
      },
      listRefusals: async (p) => byPartner(state.refusals, p),
      putRefusal: async (r) => void state.refusals.set(`${r.partnerId}|${r.accountId}|${r.serviceKey}`, clone(r)),
      deleteRefusal: async (p, a, s) => void state.refusals.delete(`${p}|${a}|${s}`),
    },
    limits: {
      take: async (key, limit, now) => {
        const seconds = Math.floor(now.getTime() / 1000);
        const start = seconds - (seconds % limit.windowSeconds);
        const attempts = state.attempts.get(`${key}#${start}`) ?? 0;
        if (attempts >= limit.max) return { allowed: false, retryAfterSeconds: start + limit.windowSeconds - seconds };
        state.attempts.set(`${key}#${start}`, attempts + 1);
        return { allowed: true };
      },
    },
    budget: new MemoryRateBudget(),
    keys: {
      put: async (p, key) => void state.keys.set(p, key),
      get: async (p) => state.keys.get(p),
      delete: async (p) => void state.keys.delete(p),
      // Any partner id can be held in memory; tests that need a refusal replace this.
      assertStorable: () => undefined,
    },
    gradient: (key) => {
      const g = gradients.get(key);
      if (g) return g;
      const rejecting = new FakeGradient();
      rejecting.beforeCall = () => {
        throw new GradientKeyRejectedError('Unauthorized', 401);
      };
      return rejecting;
    },
    queue: {
      send: async (m) => void state.sent.push(clone(m)),
      sendBatch: async (messages) => {
        // As SQS: a batch over the limit is refused whole.
        if (messages.length > QUEUE_BATCH_MAX) throw new Error(`TooManyEntriesInBatchRequest: ${messages.length}`);
        state.batches.push(messages.length);
        state.sent.push(...messages.map(clone));
        return [];
      },
    },
    log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    metrics: { add: (name, value) => void state.metrics.push({ name, value }) },
  };
}
