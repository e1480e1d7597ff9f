// The Gradient emulator's data: vendors, partners with their accounts and services, counts; and the checked
// inputs and domain results of the state's operations (no HTTP statuses or bodies: server.ts maps those).
import type { GRADIENT_INTEGRATION_STATUSES } from '../../lambdas/adapters/gradient-enums';

export interface EmulatorVendorConfig {
  vendorApiKey: string;
  vendorId?: string;
  name: string;
}

export interface EmulatorPartnerConfig {
  partnerApiKey: string;
  organizationName: string;
  /** PSA company names: an account whose name equals one exactly is mapped automatically. */
  psaCompanies?: string[];
  /** PSA product names: a vendor service whose name equals one exactly is mapped automatically. */
  psaProducts?: string[];
  /** The vendor whose card generated this key; the first configured vendor when absent. */
  vendorApiKey?: string;
}

export interface EmulatorAccount {
  id: string;
  name: string;
  description: string;
  isMapped: boolean;
}

export interface EmulatorService {
  id: string;
  vendorId: string;
  name: string;
  description: string;
  category: string;
  subcategory: string;
  supportArticle?: string;
  supportContact?: string;
}

export interface AcceptedCount {
  organizationId: string;
  serviceId: string;
  accountId: string;
  unitCount: number;
  noBuild: boolean;
  at: string;
}

export interface CurrentCount {
  organizationId: string;
  serviceId: string;
  accountId: string;
  unitCount: number;
}

export interface Vendor {
  key: string;
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface Partner {
  /** SHA-256 of the partner key: like a real service, the emulator never keeps (or persists) the key itself. */
  keyHash: string;
  organizationId: string;
  organizationName: string;
  vendorId: string;
  integrationId: string;
  status: string;
  lastSyncedAt: string;
  psaCompanies: Set<string>;
  psaProducts: Set<string>;
  accounts: Map<string, EmulatorAccount>;
  /** Services mapped by hand (test hooks); exact-name matches with psaProducts are mapped as well. */
  mappedServices: Set<string>;
}

export interface Caller {
  vendor: Vendor;
  partner: Partner;
}

export type IntegrationStatus = (typeof GRADIENT_INTEGRATION_STATUSES)[number];

/** A service as a vendor creates it (already checked against Gradient's enums). */
export type ServiceInput = Omit<EmulatorService, 'id' | 'vendorId'>;

/** An account as the vendor pushes it; without a description an existing one is kept. */
export interface AccountInput {
  id: string;
  name: string;
  description?: string;
}

export type AccountPatch = Partial<AccountInput>;

/** An account as Gradient answers a create or update (no mapping flag). */
export type AccountView = Omit<EmulatorAccount, 'isMapped'>;

export type AccountUpdate = { kind: 'updated'; account: AccountView } | { kind: 'not_found' } | { kind: 'id_taken' };

export interface CountInput {
  accountId: string;
  unitCount: number;
  noBuild: boolean;
}

/** A count lands only on a mapped account of a mapped service of the caller's vendor. */
export type CountOutcome = { kind: 'accepted' } | { kind: 'not_mapped' };

/** An alert as the vendor posts it (checked). */
export interface AlertInput {
  title: string;
  description: string;
  alertId: string;
  priority: number;
  status: number;
  serviceId?: string;
}

/** An alert Gradient received, and the PSA ticket it became. */
export interface EmulatorAlert extends AlertInput {
  organizationId: string;
  accountId: string;
  messageId: string;
  correlationID: string;
  ticketId: string;
  at: string;
}

/** Without the MSP's Alerts module Gradient refuses the alert; an unknown account has nowhere to go. */
export type AlertOutcome = { kind: 'queued'; alert: EmulatorAlert } | { kind: 'module_off' } | { kind: 'no_account' };

/** What outlives the process (see persist.ts); the count log and the vendors do not. */
export interface DurableState {
  nextId: number;
  builds: number;
  services: EmulatorService[];
  current: Map<string, CurrentCount>;
  partners: Partner[];
  alerts: EmulatorAlert[];
}
