// The ports core talks through. Adapters (DynamoDB, Secrets Manager, Gradient HTTP, queue) implement them;
// unit tests use in-memory fakes. Core never imports an adapter.
import type {
  AcceptedValue,
  Account,
  AccountMapping,
  CatalogService,
  LineReceipt,
  LineUsage,
  Partner,
  Period,
  Run,
  RunStatus,
  RunSummary,
  ServiceMapping,
  SyncRequest,
  UsageSnapshot,
} from './model';

// ---------- Gradient ----------

/** GET /organization: the partner integration the key belongs to. */
export interface GradientOrganization {
  organizationId: string;
  name: string;
  vendorId?: string;
  vendorName?: string;
  integrationId?: string;
  status?: string;
  lastSyncedAt?: string;
}

export interface GradientAccount {
  id: string;
  name: string;
  description?: string;
  isMapped: boolean;
}

export interface GradientSku {
  id: string;
  name: string;
  description?: string;
  category?: string;
  subcategory?: string;
}

export interface GradientServiceInput {
  name: string;
  description: string;
  category: string;
  subcategory: string;
}

export type GradientIntegrationStatus = 'inactive' | 'pending' | 'active';

/**
 * One partner's view of Gradient (vendor key + that partner's key). Every method throws the typed
 * errors of `errors.ts`; none retries (retrying lives in one layer, core's `retry.ts`).
 */
export interface GradientPort {
  getOrganization(): Promise<GradientOrganization>;
  updateIntegrationStatus(status: GradientIntegrationStatus): Promise<void>;
  listAccounts(): Promise<GradientAccount[]>;
  createAccounts(accounts: Array<{ id: string; name: string; description?: string }>): Promise<void>;
  updateAccount(accountId: string, patch: { name?: string; description?: string }): Promise<void>;
  /** GET /api/vendor-api → data.skus. */
  listVendorServices(): Promise<GradientSku[]>;
  /** POST /service; answers the vendor's services after the creation. */
  createVendorService(service: GradientServiceInput): Promise<GradientSku[]>;
  /** POST /service/{serviceId}/count. Resolves on 201; 404 throws GradientNotMappedError. */
  setUnitCount(serviceId: string, accountId: string, unitCount: number, options: { noBuild: boolean }): Promise<void>;
}

/** Builds a Gradient client for one partner key (the vendor key is the factory's business). */
export type GradientFactory = (partnerApiKey: string) => Promise<GradientPort> | GradientPort;

// ---------- Secrets ----------

/** Where Partner API keys live (Secrets Manager). The only place a key is ever written. */
export interface PartnerKeyStore {
  /** Creates or replaces the partner's key. */
  put(partnerId: string, partnerApiKey: string): Promise<void>;
  /** undefined when the partner has no stored key. */
  get(partnerId: string): Promise<string | undefined>;
  /** Deletes at once (no recovery window) so the name can be reused; no error when absent. */
  delete(partnerId: string): Promise<void>;
}

// ---------- Repositories ----------

export interface PartnerRepository {
  get(partnerId: string): Promise<Partner | undefined>;
  put(partner: Partner): Promise<void>;
  /** Partners whose nightly sync is on (pending or connected), by a sparse index; paged internally. */
  listSyncEnabled(): AsyncIterable<Partner>;
}

export interface CatalogRepository {
  list(): Promise<CatalogService[]>;
  get(serviceKey: string): Promise<CatalogService | undefined>;
  put(service: CatalogService): Promise<void>;
}

export interface AccountRepository {
  list(partnerId: string): Promise<Account[]>;
  get(partnerId: string, accountId: string): Promise<Account | undefined>;
  put(account: Account): Promise<void>;
}

export interface MappingRepository {
  listAccounts(partnerId: string): Promise<AccountMapping[]>;
  listServices(partnerId: string): Promise<ServiceMapping[]>;
  putAccounts(mappings: AccountMapping[]): Promise<void>;
  putServices(mappings: ServiceMapping[]): Promise<void>;
  /** Disconnect: forget every account and service mapping of the partner. */
  deleteAll(partnerId: string): Promise<void>;
}

export interface UsageRepository {
  /** Writes snapshots; the same (partner, account, service, date) overwrites. */
  putSnapshots(snapshots: UsageSnapshot[]): Promise<void>;
  /** Every line of the partner that has data in or before the period, with its carry-in. */
  linesForPeriod(partnerId: string, period: Period): Promise<LineUsage[]>;
}

export interface AcceptedValueRepository {
  listForPeriod(partnerId: string, period: Period): Promise<AcceptedValue[]>;
  put(value: AcceptedValue): Promise<void>;
  /** Disconnect: Gradient deleted the accounts, so a reconnect must send every line again. */
  deleteAll(partnerId: string): Promise<void>;
}

export interface RunRepository {
  /** Creates the run as `queued`; no-op when it exists already (idempotent enqueue). */
  create(run: Run): Promise<void>;
  get(partnerId: string, runId: string): Promise<Run | undefined>;
  /** Newest first. */
  list(partnerId: string, limit: number): Promise<Run[]>;
  /**
   * Takes the run's lease for one delivery: succeeds when the run is `queued`, or `running` with an expired
   * lease (a crashed delivery). Returns the run as taken, `finished` when it already ended, or `busy`.
   */
  acquire(
    partnerId: string,
    runId: string,
    now: string,
    leaseUntil: string,
  ): Promise<{ kind: 'acquired'; run: Run } | { kind: 'finished'; run: Run } | { kind: 'busy' } | { kind: 'missing' }>;
  /** Saves progress of a running run (summary so far) and may extend the lease. */
  update(
    partnerId: string,
    runId: string,
    patch: Partial<Pick<Run, 'status' | 'summary' | 'finishedAt' | 'leaseUntil' | 'error'>>,
  ): Promise<void>;
  putReceipt(partnerId: string, receipt: LineReceipt): Promise<void>;
  /** Many receipts at once (batched writes): for the lines a run decides without a request. */
  putReceipts(partnerId: string, receipts: LineReceipt[]): Promise<void>;
  listReceipts(partnerId: string, runId: string): Promise<LineReceipt[]>;
}

// ---------- Queue, time, observability ----------

export interface SyncQueue {
  send(request: SyncRequest): Promise<void>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/** Structured log sink; implementations must never be handed a key. */
export interface Log {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Metric names emitted by core; the handlers publish them as EMF. */
export type MetricName =
  | 'LinesComputed'
  | 'LinesSent'
  | 'LinesAccepted'
  | 'LinesNotMapped'
  | 'LinesUnchanged'
  | 'LinesFailed'
  | 'RunDuration'
  | 'RunsSucceeded'
  | 'RunsPartial'
  | 'RunsFailed'
  | 'PartnersAuthFailed'
  | 'GradientRequests'
  | 'GradientRateLimited'
  | 'GradientRetries'
  | 'GradientLatency'
  | 'PartnersEnqueued';

export interface Metrics {
  add(name: MetricName, value: number, unit?: 'Count' | 'Milliseconds'): void;
}

export type { RunStatus, RunSummary };

/** Everything the use cases need, wired once per process (production: `lambdas/shared/deps.ts`). */
export interface AppDeps {
  partners: PartnerRepository;
  catalog: CatalogRepository;
  accounts: AccountRepository;
  mappings: MappingRepository;
  usage: UsageRepository;
  accepted: AcceptedValueRepository;
  runs: RunRepository;
  keys: PartnerKeyStore;
  gradient: GradientFactory;
  queue: SyncQueue;
  clock: Clock;
  log: Log;
  metrics: Metrics;
}
