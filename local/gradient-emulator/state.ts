// The Gradient emulator's domain state: vendors and their services, partners (one integration each) with their
// accounts, mappings and unit counts. In memory and free of HTTP: it takes checked inputs and answers domain
// results ({kind: 'not_found'}, …); requests.ts checks the bodies, server.ts turns results into Gradient's replies.
import { createHash } from 'node:crypto';
import type {
  AcceptedCount,
  AccountInput,
  AccountPatch,
  AccountUpdate,
  AccountView,
  AlertInput,
  AlertOutcome,
  Caller,
  CountInput,
  CountOutcome,
  CurrentCount,
  DurableState,
  EmulatorAccount,
  EmulatorAlert,
  EmulatorPartnerConfig,
  EmulatorService,
  EmulatorVendorConfig,
  IntegrationStatus,
  Partner,
  ServiceInput,
  Vendor,
} from './model';

const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export const NEVER_SYNCED = '1900-01-01T00:00:00.000Z';

export class EmulatorState {
  private vendors = new Map<string, Vendor>();
  private partners = new Map<string, Partner>();
  private services: EmulatorService[] = [];
  private countLog: AcceptedCount[] = [];
  private current = new Map<string, CurrentCount>();
  private alertLog: EmulatorAlert[] = [];
  private nextId = 1;
  builds = 0;

  constructor(
    private readonly vendorConfigs: EmulatorVendorConfig[],
    private readonly now: () => Date,
  ) {
    this.reset();
  }

  /** Everything a later process needs to carry on as the same Gradient (keys only as hashes). */
  durable(): DurableState {
    return {
      nextId: this.nextId,
      builds: this.builds,
      services: this.services,
      current: this.current,
      partners: [...this.partners.values()],
      alerts: this.alertLog,
    };
  }

  restore(state: DurableState): void {
    this.nextId = state.nextId;
    this.builds = state.builds;
    this.services = state.services;
    this.current = new Map(state.current);
    this.partners = new Map(state.partners.map((p) => [p.keyHash, p]));
    this.alertLog = [...state.alerts];
  }

  reset(): void {
    this.vendors.clear();
    this.partners.clear();
    this.services = [];
    this.countLog = [];
    this.current.clear();
    this.alertLog = [];
    this.nextId = 1;
    this.builds = 0;
    for (const v of this.vendorConfigs) this.addVendor(v);
  }

  /** Mongo-like 24-hex ids, deterministic per emulator so tests can rely on them across runs. */
  private newId(): string {
    return `65e0${(this.nextId++).toString(16).padStart(20, '0')}`;
  }

  addVendor(config: EmulatorVendorConfig): string {
    const at = this.now().toISOString();
    const id = config.vendorId ?? this.newId();
    this.vendors.set(config.vendorApiKey, {
      key: config.vendorApiKey,
      id,
      name: config.name,
      createdAt: at,
      updatedAt: at,
    });
    return id;
  }

  addPartner(config: EmulatorPartnerConfig): string {
    const vendor =
      config.vendorApiKey !== undefined ? this.vendors.get(config.vendorApiKey) : this.vendors.values().next().value;
    if (!vendor) throw new Error('addPartner: no such vendor (configure vendors first)');
    if (this.partners.has(hashKey(config.partnerApiKey)))
      throw new Error('addPartner: that partner key is already in use');
    const organizationId = this.newId();
    this.partners.set(hashKey(config.partnerApiKey), {
      keyHash: hashKey(config.partnerApiKey),
      organizationId,
      organizationName: config.organizationName,
      vendorId: vendor.id,
      integrationId: this.newId(),
      status: 'inactive',
      lastSyncedAt: NEVER_SYNCED,
      psaCompanies: new Set(config.psaCompanies ?? []),
      psaProducts: new Set(config.psaProducts ?? []),
      accounts: new Map(),
      mappedServices: new Set(),
    });
    return organizationId;
  }

  /** The partner generated a new key without disconnecting: its accounts persist, the old key stops working. */
  regenerateKey(oldKey: string, newKey: string): void {
    const partner = this.partners.get(hashKey(oldKey));
    if (!partner) throw new Error('regenerateKey: unknown partner key');
    if (this.partners.has(hashKey(newKey))) throw new Error('regenerateKey: the new key is already in use');
    this.partners.delete(partner.keyHash);
    partner.keyHash = hashKey(newKey);
    this.partners.set(partner.keyHash, partner);
  }

  /** A vendor or partner key that no longer authenticates. */
  revokeKey(key: string): void {
    if (!this.partners.delete(hashKey(key)) && !this.vendors.delete(key)) throw new Error('revokeKey: unknown key');
  }

  /** The partner disconnected in Synthesize: accounts, mappings and counts are gone, status inactive. */
  disconnectPartner(key: string): void {
    const partner = this.partners.get(hashKey(key));
    if (!partner) throw new Error('disconnectPartner: unknown partner key');
    this.disconnect(partner);
  }

  disconnect(partner: Partner): void {
    partner.accounts.clear();
    partner.mappedServices.clear();
    partner.status = 'inactive';
    for (const [k, c] of this.current) if (c.organizationId === partner.organizationId) this.current.delete(k);
  }

  findPartner(ref: { partnerApiKey?: string; organizationId?: string }): Partner | undefined {
    if (ref.partnerApiKey !== undefined) return this.partners.get(hashKey(ref.partnerApiKey));
    for (const p of this.partners.values()) if (p.organizationId === ref.organizationId) return p;
    return undefined;
  }

  mapAccount(partner: Partner, accountId: string): void {
    const account = partner.accounts.get(accountId);
    if (!account) throw new Error(`mapAccount: no account ${accountId} in organization ${partner.organizationId}`);
    account.isMapped = true;
  }

  mapService(partner: Partner, serviceId: string): void {
    if (!this.services.some((s) => s.id === serviceId && s.vendorId === partner.vendorId)) {
      throw new Error(`mapService: no service ${serviceId} for this partner's vendor`);
    }
    partner.mappedServices.add(serviceId);
  }

  // ---------- inspection ----------

  counts(): AcceptedCount[] {
    return this.countLog.map((c) => ({ ...c }));
  }

  currentCounts(): CurrentCount[] {
    return [...this.current.values()].map((c) => ({ ...c }));
  }

  accounts(organizationId: string): EmulatorAccount[] {
    const partner = this.findPartner({ organizationId });
    return partner ? [...partner.accounts.values()].map((a) => ({ ...a })) : [];
  }

  allServices(): EmulatorService[] {
    return this.services.map((s) => ({ ...s }));
  }

  /** Every alert received, in order, with the ticket it became. */
  alerts(): EmulatorAlert[] {
    return this.alertLog.map((a) => ({ ...a }));
  }

  // ---------- the emulated API ----------

  /** The vendor and partner a pair of keys names; undefined unless both exist and belong together. */
  authenticate(vendorKey: string, partnerKey: string): Caller | undefined {
    const vendor = this.vendors.get(vendorKey);
    const partner = this.partners.get(hashKey(partnerKey));
    if (!vendor || !partner || partner.vendorId !== vendor.id) return undefined;
    return { vendor, partner };
  }

  /** The vendor as Gradient describes it (VendorData), with its services as skus. */
  vendorData({ vendor, partner }: Caller): Record<string, unknown> {
    return {
      _id: vendor.id,
      id: vendor.id,
      name: vendor.name,
      description: `${vendor.name} (emulated)`,
      integrationType: 'custom',
      skus: this.services
        .filter((s) => s.vendorId === vendor.id)
        .map(({ vendorId: _omit, ...s }) => ({ _id: s.id, ...s })),
      isDistributor: false,
      externalIntegrationStatus: 'notIntegrated',
      mappingResponsibilities: ['accounts', 'services'],
      modules: [{ variation: 'billing' }],
      organizationId: partner.organizationId,
      attributes: [],
      createdAt: vendor.createdAt,
      updatedAt: vendor.updatedAt,
      __v: 0,
    };
  }

  /** Answers the vendor data with the new service among its skus. */
  createService(caller: Caller, input: ServiceInput): Record<string, unknown> {
    this.services.push({ id: this.newId(), vendorId: caller.vendor.id, ...input });
    caller.vendor.updatedAt = this.now().toISOString();
    return this.vendorData(caller);
  }

  /** The caller's integration as Gradient describes it. */
  integrationData({ vendor, partner }: Caller): Record<string, unknown> {
    return {
      organizationId: partner.organizationId,
      name: partner.organizationName,
      vendorId: vendor.id,
      vendorName: vendor.name,
      integrationId: partner.integrationId,
      status: partner.status,
      lastSyncedAt: partner.lastSyncedAt,
    };
  }

  updateStatus(caller: Caller, status: IntegrationStatus): Record<string, unknown> {
    caller.partner.status = status;
    return this.integrationData(caller);
  }

  /** The partner's accounts, only those in `ids` when given, only mapped ones when `mappedOnly`. */
  listAccounts({ partner }: Caller, filter: { ids: string[]; mappedOnly: boolean }): EmulatorAccount[] {
    return [...partner.accounts.values()]
      .filter((a) => (filter.ids.length === 0 || filter.ids.includes(a.id)) && (!filter.mappedOnly || a.isMapped))
      .map((a) => ({ ...a }));
  }

  /**
   * Get Clients (deprecated): the partner's PSA companies as `{id, name}` (Gradient documents no element shape),
   * by name, only those whose name contains `search` (any case) when given. One page: the paging is undocumented.
   */
  listClients({ partner }: Caller, search: string | undefined): Array<{ id: string; name: string }> {
    const needle = search?.toLowerCase();
    return [...partner.psaCompanies]
      .sort()
      .filter((name) => needle === undefined || name.toLowerCase().includes(needle))
      .map((name) => ({ id: `psa-${Buffer.from(name, 'utf8').toString('hex').slice(0, 24)}`, name }));
  }

  private autoMapAccount(partner: Partner, account: EmulatorAccount): void {
    // Synthesize maps an exact (case-sensitive) name match; a rename never unmaps.
    if (partner.psaCompanies.has(account.name)) account.isMapped = true;
  }

  /** Creates or overwrites each account (an existing one keeps its mapping). */
  createAccounts({ partner }: Caller, items: AccountInput[]): AccountView[] {
    return items.map((item) => {
      const existing = partner.accounts.get(item.id);
      const account: EmulatorAccount = {
        id: item.id,
        name: item.name,
        description: item.description ?? existing?.description ?? '',
        isMapped: existing?.isMapped ?? false,
      };
      this.autoMapAccount(partner, account);
      partner.accounts.set(item.id, account);
      return { id: account.id, name: account.name, description: account.description };
    });
  }

  updateAccount({ partner }: Caller, accountId: string, patch: AccountPatch): AccountUpdate {
    const account = partner.accounts.get(accountId);
    if (!account) return { kind: 'not_found' };
    if (patch.id !== undefined && patch.id !== accountId) {
      if (partner.accounts.has(patch.id)) return { kind: 'id_taken' };
      partner.accounts.delete(accountId);
      account.id = patch.id;
      partner.accounts.set(patch.id, account);
    }
    if (patch.name !== undefined) account.name = patch.name;
    if (patch.description !== undefined) account.description = patch.description;
    this.autoMapAccount(partner, account);
    return { kind: 'updated', account: { id: account.id, name: account.name, description: account.description } };
  }

  private isServiceMapped(partner: Partner, service: EmulatorService): boolean {
    return partner.mappedServices.has(service.id) || partner.psaProducts.has(service.name);
  }

  /**
   * Queues the alert on one of the partner's accounts; it becomes a ticket at once (Gradient's queue is
   * asynchronous, the emulator's is instant). Every alert is a ticket, even a repeated alertId: so a test sees a
   * second ticket if a client ever sent one. Without the Alerts module nothing is queued.
   */
  postAlert({ partner }: Caller, accountId: string, input: AlertInput, modules: { alerts: boolean }): AlertOutcome {
    if (!modules.alerts) return { kind: 'module_off' };
    if (!partner.accounts.has(accountId)) return { kind: 'no_account' };
    const alert: EmulatorAlert = {
      ...input,
      organizationId: partner.organizationId,
      accountId,
      messageId: this.newId(),
      correlationID: this.newId(),
      ticketId: `T${1000 + this.alertLog.length + 1}`,
      at: this.now().toISOString(),
    };
    this.alertLog.push(alert);
    return { kind: 'queued', alert: { ...alert } };
  }

  /** The caller's alert by its messageId, if Gradient received it. */
  findAlert({ partner }: Caller, messageId: string): EmulatorAlert | undefined {
    const alert = this.alertLog.find((a) => a.messageId === messageId && a.organizationId === partner.organizationId);
    return alert && { ...alert };
  }

  /** Records the count (overwriting the current one), counts a billing rebuild unless noBuild, activates. */
  setCount({ partner }: Caller, serviceId: string, input: CountInput): CountOutcome {
    const { accountId, unitCount, noBuild } = input;
    const account = partner.accounts.get(accountId);
    const service = this.services.find((s) => s.id === serviceId && s.vendorId === partner.vendorId);
    if (!account?.isMapped || !service || !this.isServiceMapped(partner, service)) return { kind: 'not_mapped' };
    const at = this.now().toISOString();
    const { organizationId } = partner;
    this.countLog.push({ organizationId, serviceId, accountId, unitCount, noBuild, at });
    this.current.set(`${organizationId}|${serviceId}|${accountId}`, {
      organizationId,
      serviceId,
      accountId,
      unitCount,
    });
    if (!noBuild) this.builds++;
    partner.status = 'active';
    partner.lastSyncedAt = at;
    return { kind: 'accepted' };
  }
}
