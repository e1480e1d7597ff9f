// Closed statements: a period's lines as of its last day, and the adjustments seen after it closed.
import type { IsoDate, Period } from './rules';

/** One line of a closed period as computed as of its last day (`statements/`). */
export interface ClosingLine {
  accountId: string;
  serviceKey: string;
  computed: number;
  pushed: number;
  roundingDelta: number;
}

/** A later change to a closed period's usage: the closing value, the one computed now and when it was first seen. */
export interface StatementAdjustment {
  accountId: string;
  serviceKey: string;
  closedValue: number;
  currentValue: number;
  at: string;
}

/** What a period closed on: its lines as of its last day, computed after that day ended. */
export interface ClosedStatement {
  partnerId: string;
  period: Period;
  asOf: IsoDate;
  closedAt: string;
  lines: ClosingLine[];
  adjustments: StatementAdjustment[];
}
