// The ports of our durable state: the DynamoDB repositories (`adapters/dynamo`) and the Secrets Manager key
// store (`adapters/secrets-key-store.ts`).
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
  ServiceMapping,
  UsageSnapshot,
} from '../model';

/** Where Partner API keys live (Secrets Manager). The only place a key is ever written. */
export interface PartnerKeyStore {
  /** Creates or replaces the partner's key. */
  put(partnerId: string, partnerApiKey: string): Promise<void>;
  /** undefined when the partner has no stored key. */
  get(partnerId: string): Promise<string | undefined>;
  /** Deletes at once (no recovery window) so the name can be reused; no error when absent. */
  delete(partnerId: string): Promise<void>;
  /** Throws a ValidationError when `put` could not store a key for this partner (e.g. an invalid secret name). */
  assertStorable(partnerId: string): void;
}

export interface PartnerRepository {
  get(partnerId: string): Promise<Partner | undefined>;
  put(partner: Partner): Promise<void>;
  /** Partners whose nightly sync is on (`partners.ts`'s isSyncEnabled), by a sparse index; paged internally. */
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

export type RunAcquisition =
  | { kind: 'acquired'; run: Run }
  | { kind: 'finished'; run: Run }
  | { kind: 'busy' }
  | { kind: 'missing' };

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
  acquire(partnerId: string, runId: string, now: string, leaseUntil: string): Promise<RunAcquisition>;
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
