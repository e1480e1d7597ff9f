// The billing-health alert rules as pure functions over a night's facts.
import {
  type AlertFacts,
  alertIdOf,
  alertsToSend,
  closeDateOf,
  isReminderNight,
  mayHaveUnbilled,
} from '../../../../lambdas/core/alerts/rules';
import type { SentAlert } from '../../../../lambdas/core/model';

const facts = (over: Partial<AlertFacts> = {}): AlertFacts => ({
  partnerId: 'p1',
  period: '2026-11',
  night: '2026-11-20',
  closeDay: 5,
  settings: { enabled: true },
  runStatus: 'succeeded',
  earlierRunStatuses: ['succeeded'],
  unmappedAccounts: [{ accountId: 'acme', name: 'Acme', units: [{ serviceKey: 'seat', computed: 12 }] }],
  refusedServices: [],
  sent: [],
  homeAccountId: 'home',
  ...over,
});

const sentFor = (alertId: string, status: SentAlert['status'] = 'sent'): SentAlert => ({
  partnerId: 'p1',
  period: '2026-11',
  alertId,
  kind: 'unmapped_account',
  accountId: 'acme',
  title: 't',
  status,
  attempts: 1,
  createdAt: '2026-11-19T02:00:00.000Z',
  updatedAt: '2026-11-19T02:00:00.000Z',
});

describe('alertsToSend', () => {
  it('alerts an unmapped account with usage once, on the account, with its units in the text', () => {
    const [alert, ...rest] = alertsToSend(facts());
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      alertId: 'gbs:p1:2026-11:unmapped_account:acme',
      kind: 'unmapped_account',
      accountId: 'acme',
      priority: 1,
    });
    expect(alert?.description).toContain('seat: 12 units');
  });

  it('sends nothing for an MSP that did not opt in, or opted out', () => {
    expect(alertsToSend(facts({ settings: undefined }))).toEqual([]);
    expect(alertsToSend(facts({ settings: { enabled: false, priority: 3 } }))).toEqual([]);
  });

  it('never sends an alert twice: one already stored is left alone, whatever its status but failed', () => {
    const id = alertIdOf('p1', '2026-11', 'unmapped_account', 'acme');
    for (const status of ['sending', 'sent', 'ticketed', 'uncertain'] as const) {
      expect(alertsToSend(facts({ sent: [sentFor(id, status)] }))).toEqual([]);
    }
    expect(alertsToSend(facts({ sent: [sentFor(id, 'failed')] })).map((a) => a.alertId)).toEqual([id]);
  });

  it('derives the same id for the same account and period, another for the next period', () => {
    const november = alertsToSend(facts())[0]?.alertId;
    expect(alertsToSend(facts())[0]?.alertId).toBe(november);
    expect(alertsToSend(facts({ period: '2026-12', night: '2026-12-20' }))[0]?.alertId).not.toBe(november);
  });

  it('skips an account or service below minUnbilledUnits, and an account without usage', () => {
    expect(alertsToSend(facts({ settings: { enabled: true, minUnbilledUnits: 13 } }))).toEqual([]);
    expect(alertsToSend(facts({ settings: { enabled: true, minUnbilledUnits: 12 } }))).toHaveLength(1);
    const idle = [{ accountId: 'idle', name: 'Idle', units: [{ serviceKey: 'seat', computed: 0 }] }];
    expect(alertsToSend(facts({ unmappedAccounts: idle }))).toEqual([]);
  });

  it('alerts a refused service on the home account with its Gradient id and the chosen priority', () => {
    const sent = alertsToSend(
      facts({
        settings: { enabled: true, priority: 3 },
        unmappedAccounts: [],
        refusedServices: [{ serviceKey: 'scan', name: 'Scans', units: 40, gradientServiceId: 'g-scan' }],
      }),
    );
    expect(sent).toEqual([
      expect.objectContaining({
        alertId: 'gbs:p1:2026-11:refused_service:scan',
        accountId: 'home',
        gradientServiceId: 'g-scan',
        priority: 3,
      }),
    ]);
  });

  it('reminds once on the two nights before the close day, never on or after it, and not with nothing open', () => {
    const kinds = (night: string, over: Partial<AlertFacts> = {}) =>
      alertsToSend(facts({ night, ...over })).map((a) => a.kind);
    expect(kinds('2026-12-02')).not.toContain('close_day_reminder');
    expect(kinds('2026-12-03')).toContain('close_day_reminder');
    expect(kinds('2026-12-04')).toContain('close_day_reminder');
    expect(kinds('2026-12-05')).not.toContain('close_day_reminder');
    expect(kinds('2026-12-06')).not.toContain('close_day_reminder');
    expect(kinds('2026-12-04', { unmappedAccounts: [] })).toEqual([]);
    const reminder = alertIdOf('p1', '2026-11', 'close_day_reminder');
    const alreadyReminded = [sentFor(reminder), sentFor(alertIdOf('p1', '2026-11', 'unmapped_account', 'acme'))];
    expect(kinds('2026-12-04', { sent: alreadyReminded })).toEqual([]);
  });

  it('alerts runs failing or partial two nights in a row, not one bad night after a good one', () => {
    const none = { unmappedAccounts: [] };
    expect(alertsToSend(facts({ ...none, runStatus: 'partial', earlierRunStatuses: ['failed'] }))).toEqual([
      expect.objectContaining({ kind: 'runs_failing', alertId: 'gbs:p1:2026-11:runs_failing', accountId: 'home' }),
    ]);
    expect(alertsToSend(facts({ ...none, runStatus: 'failed', earlierRunStatuses: ['succeeded', 'failed'] }))).toEqual(
      [],
    );
    expect(alertsToSend(facts({ ...none, runStatus: 'failed', earlierRunStatuses: [] }))).toEqual([]);
  });

  it('sends partner-wide alerts only when there is an account to post them on', () => {
    const sent = alertsToSend(
      facts({ homeAccountId: undefined, runStatus: 'failed', earlierRunStatuses: ['failed'], night: '2026-12-04' }),
    );
    expect(sent.map((a) => a.kind)).toEqual(['unmapped_account']);
  });
});

describe('close dates', () => {
  it('puts the close date in the month after the period, also across a year', () => {
    expect(closeDateOf('2026-11', 5)).toBe('2026-12-05');
    expect(closeDateOf('2026-12', 1)).toBe('2027-01-01');
    expect(isReminderNight('2026-12-30', '2026-12', 1)).toBe(true);
    expect(isReminderNight('2027-01-01', '2026-12', 1)).toBe(false);
  });
});

describe('mayHaveUnbilled', () => {
  it('reads the unmapped list only after a run that settled a line as not mapped', () => {
    expect(mayHaveUnbilled({ notMapped: 0 })).toBe(false);
    expect(mayHaveUnbilled({ notMapped: 1 })).toBe(true);
  });
});
