// What core needs of Gradient: the data it reads and sends, and the port one partner's client implements
// (`adapters/gradient-client.ts`). No HTTP here: routes, status codes and bodies are the adapter's business.

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
  /** Absent when Gradient does not say (its documented sample has no `isMapped`): unknown, not unmapped. */
  isMapped?: boolean;
}

/** An account as created in Gradient (our id, so the next reconciliation finds it). */
export interface GradientAccountInput {
  id: string;
  name: string;
  description?: string;
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

/** An alert for the MSP's PSA (POST /alerting/{accountId}): `alertId` is ours and unique per ticket. */
export interface GradientAlertInput {
  title: string;
  description: string;
  alertId: string;
  /** 1 (low) to 4. */
  priority: number;
  /** Associates the ticket with one of the vendor's services (its Gradient id). */
  serviceId?: string;
}

/** Gradient queued the alert; `messageId` is what the debug route is asked about. */
export interface GradientAlertQueued {
  messageId: string;
  alertId: string;
  correlationId?: string;
}

/** GET /alerting/debug/{messageId}: every field optional, as Gradient documents it. */
export interface GradientAlertTicket {
  ticketId?: string;
  status?: string;
  statusCode?: number;
  message?: string;
  errors?: string[];
  createdAt?: string;
}

/**
 * One partner's view of Gradient (vendor key + that partner's key). Every method throws the typed errors of
 * `errors.ts`; none retries (core's `calls/` paces and retries what the sync sends).
 */
export interface GradientPort {
  getOrganization(): Promise<GradientOrganization>;
  updateIntegrationStatus(status: GradientIntegrationStatus): Promise<void>;
  listAccounts(): Promise<GradientAccount[]>;
  /** Creates any number of accounts; the client splits them into requests of a size Gradient takes. */
  createAccounts(accounts: GradientAccountInput[]): Promise<void>;
  updateAccount(accountId: string, patch: { name?: string; description?: string }): Promise<void>;
  /** GET /api/vendor-api → data.skus. */
  listVendorServices(): Promise<GradientSku[]>;
  /** POST /service; answers the vendor's services after the creation. */
  createVendorService(service: GradientServiceInput): Promise<GradientSku[]>;
  /** POST /service/{serviceId}/count. Resolves on 201; 404 throws GradientNotMappedError. */
  setUnitCount(serviceId: string, accountId: string, unitCount: number, options: { noBuild: boolean }): Promise<void>;
  /**
   * GET /organization/clients (deprecated, element shape undocumented): the names of the MSP's PSA companies, as
   * far as they can be read from what comes back. Advisory data only.
   */
  listClientNames(): Promise<string[]>;
  /** POST /alerting/{accountId}: queues a ticket in the MSP's PSA (needs its Alerts module and a board mapping). */
  postAlert(accountId: string, alert: GradientAlertInput): Promise<GradientAlertQueued>;
  /** GET /alerting/debug/{messageId}: whether the alert became a ticket. */
  getAlertTicket(messageId: string): Promise<GradientAlertTicket>;
}

/**
 * Every operation of the port, once: what a decorator wraps (`calls/decorate.ts`) and what the adapter maps to
 * Gradient's routes. The type checks below fail to compile when the list and the port drift apart.
 */
export const GRADIENT_OPERATIONS = [
  'getOrganization',
  'updateIntegrationStatus',
  'listAccounts',
  'createAccounts',
  'updateAccount',
  'listVendorServices',
  'createVendorService',
  'setUnitCount',
  'listClientNames',
  'postAlert',
  'getAlertTicket',
] as const satisfies readonly (keyof GradientPort)[];

export type GradientOperation = (typeof GRADIENT_OPERATIONS)[number];
/** `true` only when every method of the port is listed. */
export type GradientOperationsComplete = Exclude<keyof GradientPort, GradientOperation> extends never ? true : never;
const operationsComplete: GradientOperationsComplete = true;
void operationsComplete;

/**
 * Builds a Gradient client for one partner key (the vendor key is the factory's business; `freshVendorKey` makes
 * it read the vendor key past its cache, after Gradient rejected a client built with the cached one). `partnerId`
 * names whose client it is, so a factory that paces its clients (the API's) knows which rate budget to draw from.
 */
export type GradientFactory = (
  partnerApiKey: string,
  options?: { freshVendorKey?: boolean; partnerId?: string },
) => Promise<GradientPort> | GradientPort;
