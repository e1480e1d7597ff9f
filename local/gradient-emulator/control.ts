// The Gradient emulator's control plane: the handle tests and the local stack drive it with (partners, keys,
// mappings, switches, inspection, reset) and the same controls over HTTP under /__emulator/, without a token.
// Answers never echo a key: a zod message could quote the input, so only the failing paths are named.
import * as z from 'zod';
import type {
  AcceptedCount,
  CurrentCount,
  EmulatorAccount,
  EmulatorAlert,
  EmulatorPartnerConfig,
  EmulatorService,
  EmulatorVendorConfig,
  Partner,
} from './model';
import { failure, notFound, ok, type Reply } from './replies';
import type { EmulatorState } from './state';
import {
  ACCOUNT_SHAPES,
  type AccountShape,
  type FaultSpec,
  type LatencyRange,
  RATE_WINDOWS,
  type RateLimit,
  type Switches,
} from './switches';
import type { EmulatorStats, RequestLogEntry, Traffic } from './traffic';

export interface GradientEmulator {
  readonly url: string;
  readonly port: number;
  addVendor(config: EmulatorVendorConfig): string;
  /** Returns the organizationId. */
  addPartner(config: EmulatorPartnerConfig): string;
  regenerateKey(oldKey: string, newKey: string): void;
  revokeKey(key: string): void;
  disconnectPartner(partnerApiKey: string): void;
  mapAccount(partnerApiKey: string, accountId: string): void;
  mapService(partnerApiKey: string, serviceId: string): void;
  injectFaults(spec: FaultSpec): void;
  clearFaults(): void;
  setLatency(latency: LatencyRange | undefined): void;
  setRateLimit(limit: RateLimit | false): void;
  /** `older`: GET /organization/accounts answers without `isMapped`, as Gradient's documented sample. */
  setAccountShape(shape: AccountShape): void;
  /** false: every MSP is without Gradient's Alerts module, so alerts are refused (400). */
  setAlertsModule(enabled: boolean): void;
  counts(): AcceptedCount[];
  /** Every alert received, in order, with its ticket. */
  alerts(): EmulatorAlert[];
  currentCounts(): CurrentCount[];
  requestLog(): RequestLogEntry[];
  accounts(organizationId: string): EmulatorAccount[];
  services(): EmulatorService[];
  stats(): EmulatorStats;
  /** Back to the state right after start: configured vendors only, no partners, services, logs or faults. */
  reset(): void;
  /** Closes the server, hanging sockets included. */
  close(): Promise<void>;
}

export type EmulatorControls = Omit<GradientEmulator, 'url' | 'port' | 'close'>;

/** A control request that cannot be done: answered with its status (the handle throws it). */
class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const partnerRefSchema = z.union([
  z.object({ partnerApiKey: z.string().min(1) }),
  z.object({ organizationId: z.string().min(1) }),
]);
const faultSchema = z.object({
  kind: z.enum(['429', '500', '503', 'hang', 'reset', 'malformed', '401']),
  count: z.number().int().positive(),
  route: z.enum(['count', 'accounts', 'organization', 'clients', 'alerting', 'any']).optional(),
  afterRequests: z.number().int().nonnegative().optional(),
});
const latencySchema = z
  .object({ min: z.number().nonnegative(), max: z.number().nonnegative() })
  .refine((l) => l.max >= l.min, { message: 'max must be >= min' })
  .nullable();
const rateLimitSchema = z.union([
  z.object({ perSecond: z.number().int().positive(), window: z.enum(RATE_WINDOWS).optional() }),
  z.literal(false),
]);
const accountShapeSchema = z.object({ shape: z.enum(ACCOUNT_SHAPES) });
const alertsModuleSchema = z.object({ enabled: z.boolean() });
const partnerConfigSchema = z.object({
  partnerApiKey: z.string().min(1),
  organizationName: z.string().min(1),
  psaCompanies: z.array(z.string()).default([]),
  psaProducts: z.array(z.string()).default([]),
  vendorApiKey: z.string().min(1).optional(),
});
const mapAccountSchema = z.intersection(partnerRefSchema, z.object({ accountId: z.string() }));
const mapServiceSchema = z.intersection(partnerRefSchema, z.object({ serviceId: z.string() }));

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new ControlError(400, `invalid body at ${paths}`);
  }
  return parsed.data;
}

export interface ControlDeps {
  state: EmulatorState;
  switches: Switches;
  traffic: Traffic;
}

export class EmulatorControlPlane {
  readonly controls: EmulatorControls;

  constructor(private readonly deps: ControlDeps) {
    const { state, switches, traffic } = deps;
    const byKey = (partnerApiKey: string) => this.partnerOf({ partnerApiKey });
    this.controls = {
      addVendor: (config) => state.addVendor(config),
      addPartner: (config) => state.addPartner(config),
      regenerateKey: (oldKey, newKey) => state.regenerateKey(oldKey, newKey),
      revokeKey: (key) => state.revokeKey(key),
      disconnectPartner: (key) => state.disconnectPartner(key),
      mapAccount: (key, accountId) => state.mapAccount(byKey(key), accountId),
      mapService: (key, serviceId) => state.mapService(byKey(key), serviceId),
      injectFaults: (spec) => switches.faults.add(spec),
      clearFaults: () => switches.faults.clear(),
      setLatency: (range) => {
        switches.latency = range;
      },
      setRateLimit: (limit) => switches.limiter.set(limit),
      setAccountShape: (shape) => {
        switches.accountShape = shape;
      },
      setAlertsModule: (enabled) => {
        switches.alertsModule = enabled;
      },
      counts: () => state.counts(),
      alerts: () => state.alerts(),
      currentCounts: () => state.currentCounts(),
      requestLog: () => traffic.entries(),
      accounts: (organizationId) => state.accounts(organizationId),
      services: () => state.allServices(),
      stats: () => ({ ...traffic.stats, builds: state.builds, busiestSlidingSecond: traffic.busiestSlidingSecond() }),
      reset: () => {
        state.reset();
        switches.reset();
        traffic.reset();
      },
    };
  }

  /**
   * A count with the names a reader knows it by: the MSP's organization name, the account's name (its id is the
   * vendor's accountId already) and the service's name (the vendor catalog's name for its serviceKey).
   */
  private named<C extends CurrentCount>(
    count: C,
  ): C & { organizationName?: string; accountName?: string; serviceName?: string } {
    const partner = this.deps.state.findPartner({ organizationId: count.organizationId });
    const account = partner?.accounts.get(count.accountId);
    const service = this.deps.state.allServices().find((s) => s.id === count.serviceId);
    return {
      ...count,
      ...(partner && { organizationName: partner.organizationName }),
      ...(account && { accountName: account.name }),
      ...(service && { serviceName: service.name }),
    };
  }

  /** An alert with the MSP's organization name and the account's name. */
  private namedAlert(alert: EmulatorAlert): EmulatorAlert & { organizationName?: string; accountName?: string } {
    const partner = this.deps.state.findPartner({ organizationId: alert.organizationId });
    const account = partner?.accounts.get(alert.accountId);
    return {
      ...alert,
      ...(partner && { organizationName: partner.organizationName }),
      ...(account && { accountName: account.name }),
    };
  }

  private partnerOf(ref: z.infer<typeof partnerRefSchema>): Partner {
    const partner = this.deps.state.findPartner(ref);
    if (!partner) throw new ControlError(404, 'no such partner');
    return partner;
  }

  /** One `/__emulator/*` request; a failed control is `{statusCode, message}` (404 for an unknown partner, else 400). */
  route(method: string, path: string, body: unknown, query: URLSearchParams): Reply {
    try {
      return this.dispatch(method, path, body, query);
    } catch (error) {
      if (error instanceof ControlError) return failure(error.status, error.message);
      return failure(400, error instanceof Error ? error.message : 'bad request');
    }
  }

  private dispatch(method: string, path: string, body: unknown, query: URLSearchParams): Reply {
    const { state, switches } = this.deps;
    const c = this.controls;
    const done = ok({ ok: true });
    switch (`${method} ${path}`) {
      case 'GET /__emulator/counts':
        return ok({
          counts: c.counts().map((n) => this.named(n)),
          current: c.currentCounts().map((n) => this.named(n)),
        });
      case 'GET /__emulator/alerts':
        return ok({ alerts: c.alerts().map((a) => this.namedAlert(a)) });
      case 'POST /__emulator/alerts-module':
        c.setAlertsModule(parse(alertsModuleSchema, body).enabled);
        return done;
      case 'GET /__emulator/stats':
        return ok(c.stats());
      case 'GET /__emulator/requests':
        return ok(c.requestLog());
      case 'GET /__emulator/services':
        return ok(c.services());
      case 'GET /__emulator/accounts':
        return ok(c.accounts(query.get('organizationId') ?? ''));
      case 'POST /__emulator/map-account': {
        const { accountId, ...ref } = parse(mapAccountSchema, body);
        state.mapAccount(this.partnerOf(ref), accountId);
        return done;
      }
      case 'POST /__emulator/map-service': {
        const { serviceId, ...ref } = parse(mapServiceSchema, body);
        state.mapService(this.partnerOf(ref), serviceId);
        return done;
      }
      case 'POST /__emulator/faults': {
        const specs = parse(z.union([faultSchema, z.array(faultSchema)]), body);
        for (const spec of Array.isArray(specs) ? specs : [specs]) switches.faults.add(spec);
        return ok({ ok: true, pending: switches.faults.pending() });
      }
      case 'DELETE /__emulator/faults':
        c.clearFaults();
        return done;
      case 'POST /__emulator/latency':
        c.setLatency(parse(latencySchema, body) ?? undefined);
        return done;
      case 'POST /__emulator/rate-limit':
        c.setRateLimit(parse(rateLimitSchema, body));
        return done;
      case 'POST /__emulator/account-shape':
        c.setAccountShape(parse(accountShapeSchema, body).shape);
        return done;
      case 'POST /__emulator/partners':
        return ok({ organizationId: state.addPartner(parse(partnerConfigSchema, body)) }, 201);
      case 'POST /__emulator/disconnect':
        state.disconnect(this.partnerOf(parse(partnerRefSchema, body)));
        return done;
      case 'POST /__emulator/reset':
        c.reset();
        return done;
      default:
        return notFound(method, path);
    }
  }
}
