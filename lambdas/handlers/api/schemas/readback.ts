// The read-back routes' schemas: a partner's accounts page by page, one line's usage for a period, and what was
// pushed per service of one account over the latest runs.
import * as z from 'zod';
import { AGGREGATIONS } from '../../../core/model';
import { DEFAULT_ACCOUNT_PAGE, MAX_ACCOUNT_PAGE } from '../../../core/read/accounts';
import { DEFAULT_RUN_LIST_LIMIT, MAX_RUN_LIST_LIMIT } from '../../../core/read/run-history';
import { lineOutcomeSchema, runTriggerSchema } from '../../../shared/vocabulary';
import { Count, Id, IsoDate, named, Period, Timestamp } from './common';
import { AccountView } from './responses';

// ---------- requests ----------

export const AccountsQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_ACCOUNT_PAGE)
    .optional()
    .meta({ description: `Accounts per page, in accountId order (default ${DEFAULT_ACCOUNT_PAGE}).` }),
  cursor: Id.optional().meta({ description: 'The `next` of the previous page.' }),
});

export const LineUsageQuery = z.object({
  accountId: Id,
  serviceKey: Id,
  period: Period.optional().meta({ description: 'Defaults to the current period (UTC).' }),
});

export const HistoryQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_RUN_LIST_LIMIT)
    .optional()
    .meta({ description: `How many of the partner's latest runs to read (default ${DEFAULT_RUN_LIST_LIMIT}).` }),
});

// ---------- responses ----------

export const AccountPageView = named(
  z.object({
    accounts: z.array(AccountView),
    next: Id.optional().meta({ description: 'Pass as `cursor` for the next page; absent on the last page.' }),
  }),
  'AccountPage',
);

const DayQuantity = z.object({ date: IsoDate, quantity: z.number() });

export const LineUsageView = named(
  z.object({
    accountId: Id,
    serviceKey: Id,
    period: Period,
    asOf: IsoDate.meta({ description: 'Today while the period runs, its last day once it is over.' }),
    aggregation: z.enum(AGGREGATIONS),
    carryIn: z.number().optional().meta({ description: 'The state carried in from an earlier month.' }),
    stored: z.array(DayQuantity).meta({ description: 'The daily states stored for dates in the period.' }),
    metered: z.array(DayQuantity).meta({
      description:
        'Every day from the 1st to asOf with the quantity it counts with: the metered total for `sum` (0 when none), the state in force otherwise (the carry-in, 0 when none, before the first stored day).',
    }),
    value: z
      .object({ computed: z.number(), pushed: z.number() })
      .optional()
      .meta({ description: 'What the sync computes and pushes for the line now; absent without usage.' }),
  }),
  'LineUsage',
);

export const AccountHistoryView = named(
  z.object({
    accountId: Id,
    runsRead: Count,
    services: z.array(
      z.object({
        serviceKey: Id,
        entries: z.array(
          z.object({
            runId: Id,
            period: Period,
            trigger: runTriggerSchema,
            at: Timestamp,
            computed: z.number(),
            pushed: z.number(),
            outcome: lineOutcomeSchema,
            httpStatus: z.number().int().optional(),
            detail: z.string().optional(),
          }),
        ),
      }),
    ),
  }),
  'AccountHistory',
);
