// The facts a night's billing-health alerts are decided from, and the alerts decided (`rules.ts`).
import type { AlertKind, AlertSettings, IsoDate, Period, RunStatus, SentAlert } from '../model';

/** An account with usage that Gradient reports unmapped, with its units per service. */
export interface UnbilledAccount {
  accountId: string;
  name: string;
  units: Array<{ serviceKey: string; computed: number }>;
  /** PSA company names close to its name, when they were read. */
  suggestions?: string[];
}

/** A service Gradient refused (404) on accounts it reports mapped. */
export interface RefusedService {
  serviceKey: string;
  name: string;
  units: number;
  /** Its Gradient id, so the ticket is associated with it. */
  gradientServiceId?: string;
}

export interface AlertFacts {
  partnerId: string;
  period: Period;
  /** The UTC day the run happens on. */
  night: IsoDate;
  /** The partner's close day (set or the spread default). */
  closeDay: number;
  settings: AlertSettings | undefined;
  /** How this run ended, and the partner's scheduled runs before it (newest first). */
  runStatus: RunStatus;
  earlierRunStatuses: RunStatus[];
  unmappedAccounts: UnbilledAccount[];
  refusedServices: RefusedService[];
  /** What was stored for the period so far. */
  sent: SentAlert[];
  /** The account partner-wide alerts are posted on (Gradient's route needs one); none: they are not sent. */
  homeAccountId: string | undefined;
}

/** One alert to post. */
export interface AlertToSend {
  alertId: string;
  kind: AlertKind;
  subject?: string;
  accountId: string;
  title: string;
  description: string;
  priority: number;
  /** The catalog service it is about, for the Gradient service id (refused services only). */
  gradientServiceId?: string;
}
