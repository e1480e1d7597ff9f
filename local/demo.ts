// The demo a first `npm start` seeds: a vendor catalog, three MSPs with their managed companies and 70 days of
// daily usage, PSA lists on the emulated Gradient in which most names match exactly and some do not — then
// each MSP connects through the same use cases the API runs (save key, ensure services and accounts, sync
// mappings; one MSP opts into billing-health alerts). Deterministic: the same seed gives the same data every time.
import { randomBytes } from 'node:crypto';
import { saveConnection, syncMappings } from '../lambdas/core/connection';
import {
  ingestUsage,
  MAX_SNAPSHOTS_PER_BATCH,
  type SnapshotInput,
  upsertAccount,
  upsertService,
} from '../lambdas/core/intake';
import type { AlertSettings, RoundingPolicy } from '../lambdas/core/model';
import { updatePartnerSettings } from '../lambdas/core/partners';
import { addDays, todayUtc } from '../lambdas/core/period';
import type { AppDeps } from '../lambdas/core/ports';
import type { GradientEmulator } from './gradient-emulator';
import { seededRandom } from './seeded-random';

export const DEMO_SERVICES = [
  {
    serviceKey: 'business-seat',
    name: 'Business Seat',
    description: 'Password manager seat, billed on the daily average',
    category: 'security',
    subcategory: 'password management',
    aggregation: 'average',
  },
  {
    serviceKey: 'sso-addon',
    name: 'Advanced SSO Add-on',
    description: 'Single sign-on add-on, billed on the peak number of users',
    category: 'security',
    subcategory: 'single sign on (SSO)',
    aggregation: 'peak',
  },
  {
    serviceKey: 'vault-storage',
    name: 'Vault Storage (GB)',
    description: 'Encrypted file storage, reported in bytes, billed in GB on the daily average',
    category: 'backup',
    subcategory: 'cloud storage',
    aggregation: 'average',
    unitScale: 1e9,
  },
  {
    serviceKey: 'dark-web-scan',
    name: 'Dark Web Scan',
    description: 'On-demand dark web scans, metered per scan',
    category: 'security',
    subcategory: 'dark web monitoring',
    aggregation: 'sum',
  },
] as const;

interface DemoMsp {
  partnerId: string;
  organizationName: string;
  companies: number;
  roundingPolicy: RoundingPolicy;
  /** Products this MSP's PSA has no product for: those lines stay unmapped (404) until it adds one. */
  missingProducts: string[];
  /** Billing-health tickets in its PSA (set through the same use case as PATCH /v1/partners/{id}). */
  alerts?: AlertSettings;
}

export const DEMO_MSPS: DemoMsp[] = [
  {
    partnerId: 'northwind-it',
    organizationName: 'Northwind IT Services',
    companies: 48,
    roundingPolicy: 'none',
    missingProducts: [],
  },
  {
    partnerId: 'bluesky-msp',
    organizationName: 'Blue Sky Managed Services',
    companies: 24,
    roundingPolicy: 'nearest',
    missingProducts: ['Dark Web Scan'],
    alerts: { enabled: true, priority: 2 },
  },
  {
    partnerId: 'harbor-tech',
    organizationName: 'Harbor Technology Partners',
    companies: 60,
    roundingPolicy: 'up',
    missingProducts: [],
  },
];

const FIRST = ['Alpine', 'Beacon', 'Cedar', 'Delta', 'Evergreen', 'Falcon', 'Granite', 'Harbor', 'Iris', 'Juniper'];
const SECOND = [
  'Dental',
  'Legal',
  'Logistics',
  'Realty',
  'Clinic',
  'Builders',
  'Accounting',
  'Foods',
  'Motors',
  'Design',
];
const SUFFIX = ['Group', 'LLC', 'Inc', 'Partners', 'Co', 'Associates'];

export const DEMO_DAYS = 70;

export interface DemoSummary {
  partners: number;
  accounts: number;
  snapshots: number;
  unmappedAccounts: number;
}

/** Seeds the demo once: a catalog that already exists means an earlier run did it. */
export async function seedDemo(deps: AppDeps, emulator: GradientEmulator, seed = 42): Promise<DemoSummary | undefined> {
  if ((await deps.catalog.list()).length > 0) return undefined;
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const today = todayUtc(deps.clock.now());
  const firstDay = addDays(today, -(DEMO_DAYS - 1));
  for (const { serviceKey, ...service } of DEMO_SERVICES) await upsertService(deps, serviceKey, service);

  const summary: DemoSummary = { partners: 0, accounts: 0, snapshots: 0, unmappedAccounts: 0 };
  for (const msp of DEMO_MSPS) {
    const names = new Set<string>();
    while (names.size < msp.companies) names.add(`${pick(FIRST)} ${pick(SECOND)} ${pick(SUFFIX)}`);
    const companies = [...names].map((name, i) => ({
      accountId: `${msp.partnerId}-c${String(i + 1).padStart(3, '0')}`,
      name,
    }));
    // Most PSA names match ours exactly and map automatically; some were typed differently in the PSA.
    const psaCompanies = companies.map((c) => {
      if (random() >= 0.12) return c.name;
      summary.unmappedAccounts += 1;
      return random() < 0.5 ? `${c.name}.` : c.name.toUpperCase();
    });
    const psaProducts = DEMO_SERVICES.map((s) => s.name).filter((n) => !msp.missingProducts.includes(n));

    for (const c of companies) await upsertAccount(deps, msp.partnerId, c.accountId, { name: c.name });
    const snapshots = companies.flatMap((c) => usageOf(c.accountId, firstDay, today, random));
    for (let i = 0; i < snapshots.length; i += MAX_SNAPSHOTS_PER_BATCH) {
      await ingestUsage(deps, msp.partnerId, snapshots.slice(i, i + MAX_SNAPSHOTS_PER_BATCH));
    }

    // The MSP generates a Partner API key in Synthesize and pastes it into the vendor console.
    const partnerApiKey = randomBytes(24).toString('base64url');
    emulator.addPartner({ partnerApiKey, organizationName: msp.organizationName, psaCompanies, psaProducts });
    await saveConnection(deps, msp.partnerId, { partnerApiKey, roundingPolicy: msp.roundingPolicy });
    await syncMappings(deps, msp.partnerId);
    if (msp.alerts) await updatePartnerSettings(deps, msp.partnerId, { alerts: msp.alerts });

    summary.partners += 1;
    summary.accounts += companies.length;
    summary.snapshots += snapshots.length;
  }
  return summary;
}

/** One company's daily snapshots: seats that drift, an SSO add-on for some, storage growth, occasional scans. */
export function usageOf(accountId: string, firstDay: string, today: string, random: () => number): SnapshotInput[] {
  const out: SnapshotInput[] = [];
  // Some companies became customers recently; a few left (their seats dropped to 0).
  const startOffset = random() < 0.15 ? Math.floor(random() * (DEMO_DAYS - 5)) : 0;
  const churnAt = random() < 0.06 ? DEMO_DAYS - 1 - Math.floor(random() * 20) : Number.POSITIVE_INFINITY;
  const hasSso = random() < 0.5;
  const hasStorage = random() < 0.8;
  const scans = random() < 0.35;
  let seats = 5 + Math.floor(random() * 60);
  let ssoUsers = Math.max(1, Math.floor(seats * (0.3 + random() * 0.5)));
  let bytes = Math.floor((2 + random() * 200) * 1e9);
  for (let day = startOffset; day < DEMO_DAYS; day++) {
    const date = addDays(firstDay, day);
    if (date > today) break;
    const gone = day >= churnAt;
    if (random() < 0.08) seats = Math.max(1, seats + Math.floor(random() * 7) - 3);
    if (random() < 0.2) ssoUsers = Math.min(seats, Math.max(1, ssoUsers + Math.floor(random() * 5) - 2));
    bytes += Math.floor(random() * 0.4e9);
    out.push({ accountId, serviceKey: 'business-seat', date, quantity: gone ? 0 : seats });
    if (hasSso) out.push({ accountId, serviceKey: 'sso-addon', date, quantity: gone ? 0 : ssoUsers });
    if (hasStorage) out.push({ accountId, serviceKey: 'vault-storage', date, quantity: gone ? 0 : bytes });
    if (scans && !gone && random() < 0.1) {
      out.push({ accountId, serviceKey: 'dark-web-scan', date, quantity: 1 + Math.floor(random() * 3) });
    }
  }
  return out;
}
