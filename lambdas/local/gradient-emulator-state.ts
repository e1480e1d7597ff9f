// The Gradient emulator's domain state: vendors and their services, partners (one integration each) with their
// accounts, mappings and unit counts. Pure in-memory logic; the HTTP layer lives in gradient-emulator.ts.
import { createHash } from 'node:crypto';
import { GRADIENT_CATEGORIES, GRADIENT_INTEGRATION_STATUSES, GRADIENT_SUBCATEGORIES } from '../adapters/gradient-enums';

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

/** A reply of the emulated API: status and JSON body. */
export interface Reply {
  status: number;
  body: unknown;
}

interface Vendor {
  key: string;
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

interface Partner {
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

const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export const NEVER_SYNCED = '1900-01-01T00:00:00.000Z';

const unauthorized: Reply = { status: 401, body: { statusCode: 401, message: 'Unauthorized' } };

export function badRequest(message: string[]): Reply {
  return { status: 400, body: { statusCode: 400, message, error: 'Bad Request' } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface EmulatorSnapshot {
  version: 1;
  nextId: number;
  builds: number;
  services: EmulatorService[];
  current: Array<[string, CurrentCount]>;
  partners: Array<
    Omit<Partner, 'psaCompanies' | 'psaProducts' | 'accounts' | 'mappedServices'> & {
      psaCompanies: string[];
      psaProducts: string[];
      accounts: EmulatorAccount[];
      mappedServices: string[];
    }
  >;
}

export class EmulatorState {
  private vendors = new Map<string, Vendor>();
  private partners = new Map<string, Partner>();
  private services: EmulatorService[] = [];
  private countLog: AcceptedCount[] = [];
  private current = new Map<string, CurrentCount>();
  private nextId = 1;
  builds = 0;

  constructor(
    private readonly vendorConfigs: EmulatorVendorConfig[],
    private readonly now: () => Date,
  ) {
    this.reset();
  }

  /** Everything a later process needs to carry on as the same Gradient (keys only as hashes). */
  snapshot(): EmulatorSnapshot {
    return {
      version: 1,
      nextId: this.nextId,
      builds: this.builds,
      services: this.services,
      current: [...this.current.entries()],
      partners: [...this.partners.values()].map((p) => ({
        ...p,
        psaCompanies: [...p.psaCompanies],
        psaProducts: [...p.psaProducts],
        accounts: [...p.accounts.values()],
        mappedServices: [...p.mappedServices],
      })),
    };
  }

  restore(snapshot: EmulatorSnapshot): void {
    this.nextId = snapshot.nextId;
    this.builds = snapshot.builds;
    this.services = snapshot.services;
    this.current = new Map(snapshot.current);
    this.partners = new Map(
      snapshot.partners.map((p) => [
        p.keyHash,
        {
          ...p,
          psaCompanies: new Set(p.psaCompanies),
          psaProducts: new Set(p.psaProducts),
          accounts: new Map(p.accounts.map((a) => [a.id, a])),
          mappedServices: new Set(p.mappedServices),
        },
      ]),
    );
  }

  reset(): void {
    this.vendors.clear();
    this.partners.clear();
    this.services = [];
    this.countLog = [];
    this.current.clear();
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

  // ---------- the emulated API ----------

  /** GRADIENT-TOKEN = base64("vendorKey:partnerKey"); split at the first ':' since keys may not contain one. */
  authenticate(token: string | undefined): Caller | Reply {
    if (!token) return unauthorized;
    const decoded = Buffer.from(token.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return unauthorized;
    const vendor = this.vendors.get(decoded.slice(0, colon));
    const partner = this.partners.get(hashKey(decoded.slice(colon + 1)));
    if (!vendor || !partner || partner.vendorId !== vendor.id) return unauthorized;
    return { vendor, partner };
  }

  private vendorData(vendor: Vendor, organizationId: string): Record<string, unknown> {
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
      organizationId,
      attributes: [],
      createdAt: vendor.createdAt,
      updatedAt: vendor.updatedAt,
      __v: 0,
    };
  }

  getVendor({ vendor, partner }: Caller): Reply {
    return {
      status: 200,
      body: {
        status: 200,
        message: 'Success - Retrieved Vendor',
        data: this.vendorData(vendor, partner.organizationId),
      },
    };
  }

  createService({ vendor, partner }: Caller, body: unknown): Reply {
    if (!isRecord(body)) return badRequest(['name must be a string', 'description must be a string']);
    const problems: string[] = [];
    for (const field of ['name', 'description'] as const) {
      const v = body[field];
      if (typeof v !== 'string') problems.push(`${field} must be a string`);
      else if (v.trim() === '') problems.push(`${field} should not be empty`);
    }
    if (!(GRADIENT_CATEGORIES as readonly unknown[]).includes(body.category)) {
      problems.push(`category must be one of the following values: ${GRADIENT_CATEGORIES.join(', ')}`);
    }
    if (!(GRADIENT_SUBCATEGORIES as readonly unknown[]).includes(body.subcategory)) {
      problems.push(`subcategory must be one of the following values: ${GRADIENT_SUBCATEGORIES.join(', ')}`);
    }
    for (const field of ['supportArticle', 'supportContact'] as const) {
      if (body[field] !== undefined && typeof body[field] !== 'string') problems.push(`${field} must be a string`);
    }
    if (problems.length > 0) return badRequest(problems);
    const service: EmulatorService = {
      id: this.newId(),
      vendorId: vendor.id,
      name: body.name as string,
      description: body.description as string,
      category: body.category as string,
      subcategory: body.subcategory as string,
      ...(typeof body.supportArticle === 'string' && { supportArticle: body.supportArticle }),
      ...(typeof body.supportContact === 'string' && { supportContact: body.supportContact }),
    };
    this.services.push(service);
    vendor.updatedAt = this.now().toISOString();
    return { status: 201, body: this.vendorData(vendor, partner.organizationId) };
  }

  private integrationData({ vendor, partner }: Caller): Record<string, unknown> {
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

  getOrganization(caller: Caller): Reply {
    return { status: 200, body: this.integrationData(caller) };
  }

  updateStatus(caller: Caller, status: string): Reply {
    if (!(GRADIENT_INTEGRATION_STATUSES as readonly string[]).includes(status)) {
      return badRequest([`status must be one of the following values: ${GRADIENT_INTEGRATION_STATUSES.join(', ')}`]);
    }
    caller.partner.status = status;
    return {
      status: 200,
      body: { data: this.integrationData(caller), status: 200, message: 'Success - Updated Integration Status' },
    };
  }

  listAccounts({ partner }: Caller, query: URLSearchParams): Reply {
    const ids = [...query.getAll('accountIds'), ...query.getAll('accountIds[]')].flatMap((v) => v.split(','));
    // returnUnmapped defaults to true; false means mapped accounts only.
    const mappedOnly = query.get('returnUnmapped') === 'false';
    const accounts = [...partner.accounts.values()]
      .filter((a) => (ids.length === 0 || ids.includes(a.id)) && (!mappedOnly || a.isMapped))
      .map((a) => ({ ...a }));
    return { status: 200, body: accounts };
  }

  private autoMapAccount(partner: Partner, account: EmulatorAccount): void {
    // Synthesize maps an exact (case-sensitive) name match; a rename never unmaps.
    if (partner.psaCompanies.has(account.name)) account.isMapped = true;
  }

  createAccounts({ partner }: Caller, body: unknown): Reply {
    const items = Array.isArray(body) ? body : [body];
    const problems: string[] = [];
    items.forEach((item, i) => {
      const prefix = Array.isArray(body) ? `${i}.` : '';
      if (!isRecord(item)) {
        problems.push(`${prefix}id must be a string`, `${prefix}name must be a string`);
        return;
      }
      for (const field of ['id', 'name'] as const) {
        if (typeof item[field] !== 'string') problems.push(`${prefix}${field} must be a string`);
        else if (item[field] === '') problems.push(`${prefix}${field} should not be empty`);
      }
      if (item.description !== undefined && item.description !== null && typeof item.description !== 'string') {
        problems.push(`${prefix}description must be a string`);
      }
    });
    if (problems.length > 0) return badRequest(problems);
    const created = (items as Array<Record<string, unknown>>).map((item) => {
      const id = item.id as string;
      const existing = partner.accounts.get(id);
      const description = typeof item.description === 'string' ? item.description : (existing?.description ?? '');
      const account: EmulatorAccount = {
        id,
        name: item.name as string,
        description,
        isMapped: existing?.isMapped ?? false,
      };
      this.autoMapAccount(partner, account);
      partner.accounts.set(id, account);
      return { id: account.id, name: account.name, description: account.description };
    });
    return { status: 201, body: created };
  }

  updateAccount({ partner }: Caller, accountId: string, body: unknown): Reply {
    if (!isRecord(body)) return badRequest(['body must be an object']);
    const problems = (['id', 'name', 'description'] as const)
      .filter((f) => body[f] !== undefined && typeof body[f] !== 'string')
      .map((f) => `${f} must be a string`);
    if (problems.length > 0) return badRequest(problems);
    const account = partner.accounts.get(accountId);
    if (!account) return { status: 404, body: { statusCode: 404, message: `No account found with id: ${accountId}` } };
    const newId = body.id as string | undefined;
    if (newId !== undefined && newId !== accountId) {
      if (partner.accounts.has(newId)) {
        return { status: 409, body: { statusCode: 409, message: 'A resource with this Id already exists.' } };
      }
      partner.accounts.delete(accountId);
      account.id = newId;
      partner.accounts.set(newId, account);
    }
    if (typeof body.name === 'string') account.name = body.name;
    if (typeof body.description === 'string') account.description = body.description;
    this.autoMapAccount(partner, account);
    return { status: 200, body: { id: account.id, name: account.name, description: account.description } };
  }

  private isServiceMapped(partner: Partner, service: EmulatorService): boolean {
    return partner.mappedServices.has(service.id) || partner.psaProducts.has(service.name);
  }

  setCount({ partner }: Caller, serviceId: string, body: unknown, noBuild: boolean): Reply {
    const b = isRecord(body) ? body : {};
    const problems: string[] = [];
    if (typeof b.unitCount !== 'number' || !Number.isFinite(b.unitCount)) {
      problems.push('unitCount must be a number conforming to the specified constraints');
    }
    const hasClient = typeof b.clientOId === 'string' && b.clientOId !== '';
    if (b.accountId !== undefined && typeof b.accountId !== 'string') problems.push('accountId must be a string');
    else if ((b.accountId === undefined || b.accountId === '') && !hasClient)
      problems.push('accountId must be a string');
    if (problems.length > 0) return badRequest(problems);

    const accountId = (typeof b.accountId === 'string' && b.accountId !== '' ? b.accountId : b.clientOId) as string;
    const account = partner.accounts.get(accountId);
    const service = this.services.find((s) => s.id === serviceId && s.vendorId === partner.vendorId);
    if (!account?.isMapped || !service || !this.isServiceMapped(partner, service)) {
      return { status: 404, body: { statusCode: 404, message: `No account map found with id: ${accountId}` } };
    }
    const unitCount = b.unitCount as number;
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
    return { status: 201, body: { status: 201, message: 'Created service unit count' } };
  }
}
