// The MSP `npm run dev -- --demo` leaves for a person to connect through the console: its companies and usage
// are in the vendor's platform and its organization (with a PSA list) exists in the emulated Gradient, but no
// key is saved — the person pastes the printed key into the card. Idempotent across runs, deterministic.
import { GradientKeyRejectedError } from '../lambdas/core/errors';
import { ingestUsage, MAX_SNAPSHOTS_PER_BATCH, upsertAccount } from '../lambdas/core/intake';
import { addDays, todayUtc } from '../lambdas/core/period';
import type { AppDeps } from '../lambdas/core/ports';
import { DEMO_DAYS, DEMO_SERVICES, usageOf } from './demo';
import type { GradientEmulator } from './gradient-emulator';
import { seededRandom } from './seeded-random';

export const CONSOLE_MSP = {
  partnerId: 'lakeside-it',
  organizationName: 'Lakeside Computer Care',
  /** Generated in (emulated) Synthesize; a local demo key, so it may be printed. */
  partnerApiKey: 'demo-lakeside-7f3a9c2e51b84d06',
  companies: [
    'Alpine Dental Group',
    'Beacon Legal LLC',
    'Cedar Logistics Inc',
    'Delta Realty Partners',
    'Evergreen Clinic Co',
    'Falcon Builders Associates',
  ],
  /** Typed differently in the MSP's PSA: stays unmapped until the MSP maps it in Synthesize. */
  psaSpelling: { 'Delta Realty Partners': 'DELTA REALTY PARTNERS' } as Record<string, string>,
  /** No PSA product for it: its lines stay not mapped. */
  missingProduct: 'Dark Web Scan',
};

export interface ConsoleDemo {
  partnerId: string;
  partnerApiKey: string;
  organizationName: string;
}

export async function seedConsoleMsp(deps: AppDeps, emulator: GradientEmulator, seed = 7): Promise<ConsoleDemo> {
  const msp = CONSOLE_MSP;
  if ((await deps.accounts.list(msp.partnerId)).length === 0) {
    const random = seededRandom(seed);
    const today = todayUtc(deps.clock.now());
    const firstDay = addDays(today, -(DEMO_DAYS - 1));
    const ids = msp.companies.map((name, i) => ({ accountId: `${msp.partnerId}-c${i + 1}`, name }));
    for (const c of ids) await upsertAccount(deps, msp.partnerId, c.accountId, { name: c.name });
    const snapshots = ids.flatMap((c) => usageOf(c.accountId, firstDay, today, random));
    for (let i = 0; i < snapshots.length; i += MAX_SNAPSHOTS_PER_BATCH) {
      await ingestUsage(deps, msp.partnerId, snapshots.slice(i, i + MAX_SNAPSHOTS_PER_BATCH));
    }
  }
  // The organization is in the emulator's saved state after the first run; add it when the key does not work.
  if (!(await keyWorks(deps, msp.partnerApiKey))) {
    emulator.addPartner({
      partnerApiKey: msp.partnerApiKey,
      organizationName: msp.organizationName,
      psaCompanies: msp.companies.map((name) => msp.psaSpelling[name] ?? name),
      psaProducts: DEMO_SERVICES.map((s) => s.name).filter((name) => name !== msp.missingProduct),
    });
  }
  return { partnerId: msp.partnerId, partnerApiKey: msp.partnerApiKey, organizationName: msp.organizationName };
}

async function keyWorks(deps: AppDeps, key: string): Promise<boolean> {
  try {
    await (await deps.gradient(key)).getOrganization();
    return true;
  } catch (error) {
    if (error instanceof GradientKeyRejectedError) return false;
    throw error;
  }
}
