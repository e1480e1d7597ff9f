// The ports of our durable state: the DynamoDB repositories (`adapters/dynamo`) and the Secrets Manager key
// store (`adapters/secrets-key-store.ts`).
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
  PartnerStatus,
  Period,
  PeriodAlerts,
  Refusal,
  ResyncClaim,
  Run,
  SentAlert,
  ServiceMapping,
  StatementAdjustment,
  UsageSnapshot,
} from '../model';

/** At most `max` attempts per fixed window of `windowSeconds`. */
export interface AttemptLimit {
  max: number;
  windowSeconds: number;
}

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts attempts per key across every process (one shared store, not a per-Lambda memory). */
export interface AttemptLimiter {
  /** Counts one attempt against `key` in the window containing `now`, unless that window already holds `max`. */
  take(key: string, limit: AttemptLimit, now: Date): Promise<AttemptVerdict>;
}

/** `fresh`: read past any cache (the key in hand was rejected; another process may have stored a new one). */
export interface KeyReadOptions {
  fresh?: boolean;
}

/** Where Partner API keys live (Secrets Manager). The only place a key is ever written. */
export interface PartnerKeyStore {
  /** Creates or replaces the partner's key. */
  put(partnerId: string, partnerApiKey: string): Promise<void>;
  /** undefined when the partner has no stored key. */
  get(partnerId: string, options?: KeyReadOptions): Promise<string | undefined>;
  /**
   * Deletes without a recovery window so the name can be reused (Secrets Manager completes it asynchronously; a
   * `put` meanwhile waits for it, within a bound); no error when absent.
   */
  delete(partnerId: string): Promise<void>;
  /** Throws a ValidationError when `put` could not store a key for this partner (e.g. an invalid secret name). */
  assertStorable(partnerId: string): void;
}

export interface PartnerRepository {
  get(partnerId: string): Promise<Partner | undefined>;
  /** Creates or replaces the record; answers the one it replaced (undefined for a new partner), read in the same write. */
  put(partner: Partner): Promise<Partner | undefined>;
  /** Partners whose nightly sync is on (`partners.ts`'s isSyncEnabled), by a sparse index; paged internally. */
  listSyncEnabled(): AsyncIterable<Partner>;
  /**
   * Up to `limit` partners, latest activity (`updatedAt`) first, by an index; only those in `status` when given;
   * only those after `after` in that order when given.
   */
  listByActivity(query: { limit: number; status?: PartnerStatus; after?: ActivityPosition }): Promise<Partner[]>;
}

/** A partner's place in the activity order: where a page of the fleet ends. */
export interface ActivityPosition {
  updatedAt: string;
  partnerId: string;
}

export interface CatalogRepository {
  list(): Promise<CatalogService[]>;
  get(serviceKey: string): Promise<CatalogService | undefined>;
  put(service: CatalogService): Promise<void>;
}

/** One page of a partner's accounts in accountId order; `next` (the last accountId) asks for the page after. */
export interface AccountPage {
  accounts: Account[];
  next?: string;
}

export interface AccountRepository {
  list(partnerId: string): Promise<Account[]>;
  /** At most `limit` accounts after `after` (an accountId), by one Query. */
  page(partnerId: string, limit: number, after?: string): Promise<AccountPage>;
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
  /** One line of the period with its carry-in (two key reads); undefined when it has neither. */
  lineForPeriod(
    partnerId: string,
    accountId: string,
    serviceKey: string,
    period: Period,
  ): Promise<LineUsage | undefined>;
}

/** What Gradient holds per line of a partner (one item per account and service, no period). */
export interface HeldValueRepository {
  list(partnerId: string): Promise<HeldValue[]>;
  /** Replaces the line's held value: Gradient keeps only the count it accepted last. */
  put(value: HeldValue): Promise<void>;
  /** Disconnect: Gradient deleted the accounts, so a reconnect must send every line again (refusals go too). */
  deleteAll(partnerId: string): Promise<void>;
  /** The lines of the partner Gradient refused with 404, one per line (kept beside the held values). */
  listRefusals(partnerId: string): Promise<Refusal[]>;
  /** Replaces the line's refusal. */
  putRefusal(refusal: Refusal): Promise<void>;
  /** Forgets the line's refusal (Gradient accepted it since); no error when absent. */
  deleteRefusal(partnerId: string, accountId: string, serviceKey: string): Promise<void>;
}

/** Closing statements of finished periods, with the adjustments seen since. */
export interface StatementRepository {
  /** The period's closing statement, once it was written in full. */
  getClosed(partnerId: string, period: Period): Promise<ClosedStatement | undefined>;
  /** Writes the closing lines, then the marker that makes them the period's closing (rewriting is harmless). */
  putClosed(statement: Omit<ClosedStatement, 'adjustments'>): Promise<void>;
  /** Records adjustments first seen or changed since; one per line, the latest replaces. */
  putAdjustments(partnerId: string, period: Period, adjustments: StatementAdjustment[]): Promise<void>;
}

/** The billing-health alerts sent per partner and period, and the period's refusal by Gradient. */
export interface AlertRepository {
  list(partnerId: string, period: Period): Promise<PeriodAlerts>;
  /**
   * Records the alert as `sending` unless it is stored already in a status it may not be sent again from
   * (ALERT_RETRY_STATUSES): true when this caller may post it, false when another run has it or had it.
   */
  claim(alert: SentAlert): Promise<boolean>;
  update(
    partnerId: string,
    period: Period,
    alertId: string,
    patch: Partial<Pick<SentAlert, 'status' | 'messageId' | 'ticketId' | 'detail' | 'attempts' | 'updatedAt'>>,
  ): Promise<void>;
  /** Records why Gradient refused the period's alerts, once: false when a refusal was already recorded. */
  refuse(refusal: AlertRefusal): Promise<boolean>;
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
  /** Newest first; only runs older than the run id `before` when given (it need not exist). */
  list(partnerId: string, limit: number, options?: { before?: string }): Promise<Run[]>;
  /**
   * Takes the run's lease for one delivery: succeeds when the run is `queued`, or `running` with an expired
   * lease (a crashed delivery). Returns the run as taken, `finished` when it already ended, or `busy`.
   */
  acquire(partnerId: string, runId: string, now: string, leaseUntil: string): Promise<RunAcquisition>;
  /** Saves progress of a running run (summary so far) and may extend the lease. */
  update(
    partnerId: string,
    runId: string,
    patch: Partial<Pick<Run, 'status' | 'summary' | 'finishedAt' | 'leaseUntil' | 'error' | 'continuations'>>,
  ): Promise<void>;
  /** Runs left `queued` or `running`, by a sparse index (the local stack redelivers them on start). */
  listOpen(): AsyncIterable<Run>;
  /**
   * Takes the partner's lease for `runId` with one conditional write when it is free, expired or already this
   * run's (`run-lifecycle.ts`'s partnerLeaseFree); otherwise answers who holds it.
   */
  leasePartner(
    partnerId: string,
    lease: PartnerLease,
    now: string,
  ): Promise<{ kind: 'taken' } | { kind: 'held'; lease: PartnerLease }>;
  /** Gives the partner's lease back if `runId` holds it (no-op otherwise). */
  releasePartner(partnerId: string, runId: string): Promise<void>;
  /** The partner's claim of a resync idempotency key, unless absent or expired by `now`. */
  getClaim(partnerId: string, key: string, now: string): Promise<ResyncClaim | undefined>;
  /** Stores the claim with one conditional write unless a live one exists; answers that one then. */
  claim(
    partnerId: string,
    claim: ResyncClaim,
    now: string,
  ): Promise<{ kind: 'claimed' } | { kind: 'existing'; claim: ResyncClaim }>;
  /** Forgets a claim whose resync could not be queued, so a retry starts over. */
  forgetClaim(partnerId: string, key: string): Promise<void>;
  putReceipt(partnerId: string, receipt: LineReceipt): Promise<void>;
  /**
   * Many receipts at once, for the lines a run decides without a request: stored many to an item, so a quiet
   * line costs a small fraction of a write; `listReceipts` answers them like any other receipt.
   */
  putReceipts(partnerId: string, receipts: LineReceipt[]): Promise<void>;
  listReceipts(partnerId: string, runId: string): Promise<LineReceipt[]>;
  /** The run's receipts of one account (a Query on the receipt key's account prefix). */
  listAccountReceipts(partnerId: string, runId: string, accountId: string): Promise<LineReceipt[]>;
}
