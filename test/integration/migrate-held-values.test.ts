// The one-off migration from the period-keyed accepted values to the held values, against dynalite.
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { MIGRATION_MARKER, migrateHeldValues } from '../../lambdas/migrations/held-from-accepted';
import { type LocalAws, startLocalAws } from '../support/local-aws';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws({ pageSize: 3 });
});
afterAll(async () => {
  await aws?.close();
});

const legacy = (partnerId: string, period: string, accountId: string, value: number, acceptedAt: string) =>
  aws.doc.send(
    new PutCommand({
      TableName: aws.tableNames.TABLE_ACCEPTED,
      Item: {
        partnerId,
        period,
        accountId,
        serviceKey: 'seats',
        value,
        runId: `run-${period}`,
        acceptedAt,
        periodLine: `${period}#${accountId}#seats`,
      },
    }),
  );

const migrate = () => migrateHeldValues(aws.doc, aws.tableNames, () => new Date('2026-12-01T00:00:00.000Z'));
const forgetMarker = () =>
  aws.doc.send(new DeleteCommand({ TableName: aws.tableNames.TABLE_HELD, Key: MIGRATION_MARKER }));

describe('migrate-held-values', () => {
  it('holds per line the value accepted last, whatever its period, once; never over a newer held value', async () => {
    await aws.repos.partners.put({ partnerId: 'msp-a', status: 'connected', roundingPolicy: 'none', updatedAt: 'x' });
    await aws.repos.partners.put({
      partnerId: 'msp-gone',
      status: 'disconnected',
      roundingPolicy: 'none',
      updatedAt: 'x',
    });
    await aws.repos.mappings.putServices([
      { partnerId: 'msp-a', serviceKey: 'seats', gradientServiceId: 'sku-seats', syncedAt: 'x' },
    ]);
    // e1: March pushed after a February resync, the resync last: Gradient holds February's 6.7857.
    await legacy('msp-a', '2025-03', 'e1', 2.6452, '2025-03-20T02:00:00.000Z');
    await legacy('msp-a', '2025-02', 'e1', 6.7857, '2025-03-21T10:00:00.000Z');
    // e2: only March; e3: a newer held value written by the new code already.
    await legacy('msp-a', '2025-03', 'e2', 4, '2025-03-20T02:00:00.000Z');
    await legacy('msp-a', '2025-03', 'e3', 9, '2025-03-20T02:00:00.000Z');
    await aws.repos.held.put({
      partnerId: 'msp-a',
      accountId: 'e3',
      serviceKey: 'seats',
      value: 11,
      period: '2025-04',
      runId: 'new-code',
      acceptedAt: '2025-04-02T02:00:00.000Z',
      serviceId: 'sku-seats',
    });
    await legacy('msp-gone', '2025-03', 'x1', 1, '2025-03-20T02:00:00.000Z');

    expect(await migrate()).toEqual({ ran: true, read: 5, written: expect.any(Number), skipped: expect.any(Number) });
    const held = new Map((await aws.repos.held.list('msp-a')).map((h) => [h.accountId, h]));
    expect([...held.keys()].sort()).toEqual(['e1', 'e2', 'e3']);
    expect(held.get('e1')).toEqual({
      partnerId: 'msp-a',
      accountId: 'e1',
      serviceKey: 'seats',
      value: 6.7857,
      period: '2025-02',
      runId: 'run-2025-02',
      acceptedAt: '2025-03-21T10:00:00.000Z',
      serviceId: 'sku-seats',
    });
    expect(held.get('e2')).toMatchObject({ value: 4, period: '2025-03' });
    expect(held.get('e3')).toMatchObject({ value: 11, runId: 'new-code' });
    expect(await aws.repos.held.list('msp-gone')).toEqual([]);

    // Re-running is a no-op (the marker), and so is re-running without it (the conditional writes).
    const snapshot = await aws.repos.held.list('msp-a');
    expect(await migrate()).toEqual({ ran: false, read: 0, written: 0, skipped: 0 });
    await forgetMarker();
    expect(await migrate()).toEqual({ ran: true, read: 5, written: 0, skipped: 5 });
    expect(await aws.repos.held.list('msp-a')).toEqual(snapshot);
  });
});
