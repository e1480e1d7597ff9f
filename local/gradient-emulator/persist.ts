// The Gradient emulator's data file: its durable state (partners with their accounts and mappings, services,
// current counts, alerts received, id counter, builds) as version-1 JSON, written through the emulators' shared json-file.
// Partner keys appear only as SHA-256 hashes.
import { type JsonFile, jsonFile } from '../json-file';
import type { CurrentCount, DurableState, EmulatorAccount, EmulatorAlert, EmulatorService, Partner } from './model';

type StoredPartner = Omit<Partner, 'psaCompanies' | 'psaProducts' | 'accounts' | 'mappedServices'> & {
  psaCompanies: string[];
  psaProducts: string[];
  accounts: EmulatorAccount[];
  mappedServices: string[];
};

/** The file's format: read back by later runs, so it changes only with a new version. */
interface StoredState {
  version: 1;
  nextId: number;
  builds: number;
  services: EmulatorService[];
  current: Array<[string, CurrentCount]>;
  partners: StoredPartner[];
  /** Absent in files written before the emulator took alerts. */
  alerts?: EmulatorAlert[];
}

export interface Persistence {
  /** The state an earlier run left, if any. */
  load(): DurableState | undefined;
  save(state: DurableState): void;
}

/** Keeps nothing without a file (the emulator then lives in memory only). */
export function persistence(path: string | undefined): Persistence {
  if (!path) return { load: () => undefined, save: () => undefined };
  const file: JsonFile = jsonFile(path);
  return {
    load: () => {
      const stored = file.read() as StoredState | undefined;
      return stored && fromStored(stored);
    },
    save: (state) => file.write(toStored(state)),
  };
}

function toStored(state: DurableState): StoredState {
  return {
    version: 1,
    nextId: state.nextId,
    builds: state.builds,
    services: state.services,
    current: [...state.current.entries()],
    partners: state.partners.map((p) => ({
      ...p,
      psaCompanies: [...p.psaCompanies],
      psaProducts: [...p.psaProducts],
      accounts: [...p.accounts.values()],
      mappedServices: [...p.mappedServices],
    })),
    alerts: state.alerts,
  };
}

function fromStored(stored: StoredState): DurableState {
  return {
    nextId: stored.nextId,
    builds: stored.builds,
    services: stored.services,
    current: new Map(stored.current),
    partners: stored.partners.map((p) => ({
      ...p,
      psaCompanies: new Set(p.psaCompanies),
      psaProducts: new Set(p.psaProducts),
      accounts: new Map(p.accounts.map((a) => [a.id, a])),
      mappedServices: new Set(p.mappedServices),
    })),
    alerts: stored.alerts ?? [],
  };
}
