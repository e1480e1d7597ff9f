// The ports core talks through. Adapters (DynamoDB, Secrets Manager, Gradient HTTP, queue) implement them;
// unit tests use in-memory fakes. Core never imports an adapter. `AppDeps` is everything; a use case or a
// handler that needs less names its own slice, so it can be built (and tested) with only that.
import type { GradientFactory } from './gradient';
import type { Clock, EventPublisher, Log, Metrics, RateBudgetStore, SyncQueue } from './runtime';
import type {
  AccountRepository,
  AlertRepository,
  AttemptLimiter,
  CatalogRepository,
  HeldValueRepository,
  MappingRepository,
  PartnerKeyStore,
  PartnerRepository,
  RunRepository,
  StatementRepository,
  UsageRepository,
} from './store';

export * from './gradient';
export * from './runtime';
export type * from './store';

/** Everything the use cases need, wired once per process (production: `lambdas/wiring/`). */
export interface AppDeps {
  partners: PartnerRepository;
  catalog: CatalogRepository;
  accounts: AccountRepository;
  mappings: MappingRepository;
  usage: UsageRepository;
  held: HeldValueRepository;
  runs: RunRepository;
  statements: StatementRepository;
  alerts: AlertRepository;
  keys: PartnerKeyStore;
  limits: AttemptLimiter;
  /** The Gradient rate budget every process shares. */
  budget: RateBudgetStore;
  gradient: GradientFactory;
  queue: SyncQueue;
  /** The vendor's event bus. */
  events: EventPublisher;
  clock: Clock;
  log: Log;
  metrics: Metrics;
}

/** Creating a run and sending its message. */
export type EnqueueDeps = Pick<AppDeps, 'runs' | 'queue'>;

/** The nightly planner: partners to plan, runs to enqueue; no key, no Gradient. */
export type PlannerDeps = Pick<AppDeps, 'partners' | 'runs' | 'queue' | 'clock' | 'log' | 'metrics'>;

/** One paced, retried Gradient call. */
export type CallDeps = Pick<AppDeps, 'clock' | 'metrics' | 'log'>;
