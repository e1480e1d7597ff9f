// The calendar bench's vendor: partners × accounts × 5 services with usage that behaves like a vendor's (seat
// counts constant for weeks, a few percent of lines changing a day, metered services moving daily, companies added
// and removed, one partner 20× larger), generated day by day from a seed. Only changed states are written.
import type { Aggregation, UsageSnapshot } from '../lambdas/core/model';
import { seededRandom } from '../local/seeded-random';

export interface CalendarService {
  serviceKey: string;
  name: string;
  description: string;
  category: string;
  subcategory: string;
  aggregation: Aggregation;
  unitScale?: number;
}

export const CALENDAR_SERVICES: CalendarService[] = [
  {
    serviceKey: 'business-seat',
    name: 'Business Seat',
    description: 'Seat, daily average',
    category: 'security',
    subcategory: 'password management',
    aggregation: 'average',
  },
  {
    serviceKey: 'sso-addon',
    name: 'Advanced SSO Add-on',
    description: 'Peak users',
    category: 'security',
    subcategory: 'single sign on (SSO)',
    aggregation: 'peak',
  },
  {
    serviceKey: 'vault-storage',
    name: 'Vault Storage (GB)',
    description: 'Bytes, billed in GB on the daily average',
    category: 'backup',
    subcategory: 'cloud storage',
    aggregation: 'average',
    unitScale: 1e9,
  },
  {
    serviceKey: 'managed-device',
    name: 'Managed Device',
    description: 'Devices enrolled at the end of the day',
    category: 'security',
    subcategory: 'endpoint management',
    aggregation: 'last',
  },
  {
    serviceKey: 'dark-web-scan',
    name: 'Dark Web Scan',
    description: 'Scans, metered per scan',
    category: 'security',
    subcategory: 'dark web monitoring',
    aggregation: 'sum',
  },
];

/** Daily chance that a seat-like state (average, peak, last) moves; storage moves more often, scans are metered. */
const STATE_CHANGE = 0.04;
const STORAGE_CHANGE = 0.25;
const SCAN_DAY = 0.3;
const ACCOUNT_CHURN = 0.001;

export interface CalendarPartner {
  partnerId: string;
  key: string;
  name: string;
  /** Services this MSP never mapped in Synthesize (its counts get 404). */
  unmapped: string[];
  accounts: Map<string, { name: string; active: boolean }>;
  nextAccount: number;
}

export class CalendarWorkload {
  readonly partners: CalendarPartner[] = [];
  /** partner|account|service → current quantity. */
  private readonly state = new Map<string, number>();
  private readonly random: () => number;

  /** `prefix` names the partners and keys (`cal` by default; the onboarding wave's are `wave`). */
  constructor(opts: { partners: number; accounts: number; largeFactor: number; seed: number; prefix?: string }) {
    this.random = seededRandom(opts.seed);
    const prefix = opts.prefix ?? 'cal';
    for (let p = 0; p < opts.partners; p++) {
      const partnerId = `${prefix}-msp-${String(p + 1).padStart(4, '0')}`;
      const partner: CalendarPartner = {
        partnerId,
        key: `${prefix}-key-${p + 1}-${Math.floor(this.random() * 1e12).toString(36)}`,
        name: `Calendar MSP ${p + 1}`,
        // One MSP in ten never mapped the metered service.
        unmapped: p % 10 === 3 ? ['Dark Web Scan'] : [],
        accounts: new Map(),
        nextAccount: 0,
      };
      const n = p === 0 ? opts.accounts * opts.largeFactor : opts.accounts;
      for (let a = 0; a < n; a++) this.newAccount(partner);
      this.partners.push(partner);
    }
  }

  get lines(): number {
    let n = 0;
    for (const p of this.partners) for (const a of p.accounts.values()) if (a.active) n += CALENDAR_SERVICES.length;
    return n;
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private newAccount(p: CalendarPartner): string {
    p.nextAccount += 1;
    const accountId = `${p.partnerId}-c${String(p.nextAccount).padStart(5, '0')}`;
    p.accounts.set(accountId, { name: `Company ${p.partnerId.slice(-4)}-${p.nextAccount}`, active: true });
    return accountId;
  }

  private initial(service: CalendarService): number {
    if (service.aggregation === 'sum') return this.random() < SCAN_DAY ? this.int(1, 3) : 0;
    if (service.unitScale) return this.int(2, 200) * service.unitScale + this.int(0, 999_999);
    return this.int(5, 65);
  }

  /** The first day: every line's state. */
  firstDay(date: string): UsageSnapshot[] {
    const out: UsageSnapshot[] = [];
    for (const p of this.partners)
      for (const accountId of p.accounts.keys())
        for (const s of CALENDAR_SERVICES) out.push(this.set(p, accountId, s, date, this.initial(s)));
    return out;
  }

  private set(
    p: CalendarPartner,
    accountId: string,
    s: CalendarService,
    date: string,
    quantity: number,
  ): UsageSnapshot {
    this.state.set(`${p.partnerId}|${accountId}|${s.serviceKey}`, quantity);
    return { partnerId: p.partnerId, accountId, serviceKey: s.serviceKey, date, quantity };
  }

  /** One more day: the snapshots of the lines whose state moved, companies added and removed. */
  nextDay(date: string): {
    snapshots: UsageSnapshot[];
    added: Array<{ partner: CalendarPartner; accountId: string }>;
    removed: Array<{ partner: CalendarPartner; accountId: string }>;
  } {
    const snapshots: UsageSnapshot[] = [];
    const added: Array<{ partner: CalendarPartner; accountId: string }> = [];
    const removed: Array<{ partner: CalendarPartner; accountId: string }> = [];
    for (const p of this.partners) {
      for (const [accountId, account] of p.accounts) {
        if (!account.active) continue;
        if (this.random() < ACCOUNT_CHURN) {
          account.active = false;
          removed.push({ partner: p, accountId });
          for (const s of CALENDAR_SERVICES) snapshots.push(this.set(p, accountId, s, date, 0));
          continue;
        }
        for (const s of CALENDAR_SERVICES) {
          const k = `${p.partnerId}|${accountId}|${s.serviceKey}`;
          const q = this.state.get(k) ?? 0;
          let next = q;
          if (s.aggregation === 'sum') next = this.random() < SCAN_DAY ? this.int(1, 3) : 0;
          else if (s.unitScale) {
            if (this.random() < STORAGE_CHANGE) next = Math.max(0, q + this.int(-1, 4) * (s.unitScale / 4));
          } else if (this.random() < STATE_CHANGE) next = Math.max(0, q + this.int(-3, 5) || 1);
          // A sum line's zero day needs no snapshot (no usage); a state is written only when it moved.
          if (next !== q || (s.aggregation === 'sum' && next > 0))
            snapshots.push(this.set(p, accountId, s, date, next));
        }
      }
      const arrivals = this.random() < p.accounts.size * ACCOUNT_CHURN ? 1 : 0;
      for (let i = 0; i < arrivals; i++) {
        const accountId = this.newAccount(p);
        added.push({ partner: p, accountId });
        for (const s of CALENDAR_SERVICES) snapshots.push(this.set(p, accountId, s, date, this.initial(s)));
      }
    }
    return { snapshots, added, removed };
  }
}
