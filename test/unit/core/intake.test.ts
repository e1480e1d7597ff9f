// Core intake for callers other than the API (the demo, scripts): the same bounds as at the API's edge, checked
// before any write.
import { NotFoundError, ValidationError } from '../../../lambdas/core/errors';
import { ingestUsage, type ServiceInput, upsertAccount, upsertService } from '../../../lambdas/core/intake';
import { memoryDeps } from '../../support/memory-deps';

const seat: ServiceInput = {
  name: 'Business Seat',
  description: 'Seat',
  category: 'security',
  subcategory: 'password management',
  aggregation: 'sum',
};

async function seeded() {
  const deps = memoryDeps();
  await upsertService(deps, 'business-seat', seat);
  for (const accountId of ['acc1', 'acc9']) await upsertAccount(deps, 'msp-1', accountId, { name: accountId });
  return deps;
}

const caught = async (promise: Promise<unknown>): Promise<ValidationError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
};

describe('ingestUsage bounds every quantity before any write', () => {
  it.each([1e308, 2 ** 53 + 1, 1e-320, Number.NaN, -0.5])(
    'refuses the batch [acc1 q=5, acc9 q=%s] whole: acc1 is not written',
    async (quantity) => {
      const deps = await seeded();
      const error = await caught(
        ingestUsage(deps, 'msp-1', [
          { accountId: 'acc1', serviceKey: 'business-seat', date: '2026-11-20', quantity: 5 },
          { accountId: 'acc9', serviceKey: 'business-seat', date: '2026-11-20', quantity },
        ]),
      );
      expect(error.issues.map((i) => i.path)).toEqual(['snapshots.1.quantity']);
      expect(deps.state.snapshots.size).toBe(0);
    },
  );
});

describe('upsertService bounds unitScale', () => {
  it.each([1e20, 1e308, 5e-324, 0, Number.POSITIVE_INFINITY])(
    'refuses unitScale %s and writes nothing',
    async (unitScale) => {
      const deps = memoryDeps();
      const error = await caught(upsertService(deps, 'storage', { ...seat, unitScale }));
      expect(error.issues).toEqual([{ path: 'unitScale', message: expect.stringMatching(/^unitScale must be/) }]);
      expect(deps.state.catalog.size).toBe(0);
    },
  );
});

describe('upsertService keeps the basis of an average service', () => {
  const seats: ServiceInput = { ...seat, aggregation: 'average' };

  it('gives a new average service the projected basis, and one it is asked for', async () => {
    const deps = memoryDeps();
    expect((await upsertService(deps, 'new', seats)).service.averageBasis).toBe('projected');
    expect((await upsertService(deps, 'asked', { ...seats, averageBasis: 'to_date' })).service.averageBasis).toBe(
      'to_date',
    );
  });

  it('keeps to_date for a service stored before bases existed, and the basis it has when none is sent', async () => {
    const deps = memoryDeps();
    deps.state.catalog.set('old', { serviceKey: 'old', ...seats, updatedAt: '2026-01-01T00:00:00.000Z' });
    expect((await upsertService(deps, 'old', { ...seats, name: 'Seats v2' })).service.averageBasis).toBe('to_date');
    await upsertService(deps, 'chosen', { ...seats, averageBasis: 'projected' });
    expect((await upsertService(deps, 'chosen', seats)).service.averageBasis).toBe('projected');
    // A service that becomes an average is new to the basis: the default for new services.
    await upsertService(deps, 'was-peak', { ...seats, aggregation: 'peak' });
    expect((await upsertService(deps, 'was-peak', seats)).service.averageBasis).toBe('projected');
  });

  it('stores no basis for the other aggregations and refuses one sent with them, writing nothing', async () => {
    const deps = memoryDeps();
    expect((await upsertService(deps, 'peak', { ...seats, aggregation: 'peak' })).service).not.toHaveProperty(
      'averageBasis',
    );
    const error = await caught(upsertService(deps, 'sum', { ...seat, averageBasis: 'projected' }));
    expect(error.issues).toEqual([{ path: 'averageBasis', message: expect.stringMatching(/"average" only/) }]);
    expect(deps.state.catalog.has('sum')).toBe(false);
  });
});

describe('ingestUsage only takes usage of registered accounts of a known partner', () => {
  const seatOn = (accountId: string) => ({ accountId, serviceKey: 'business-seat', date: '2026-11-20', quantity: 1 });

  it('throws NotFoundError for a partner with neither accounts nor a connection, and writes nothing', async () => {
    const deps = await seeded();
    await expect(ingestUsage(deps, 'msp-unknown', [seatOn('acc1')])).rejects.toBeInstanceOf(NotFoundError);
    expect(deps.state.snapshots.size).toBe(0);
  });

  it('lists every unregistered account, writing nothing', async () => {
    const deps = await seeded();
    const error = await caught(ingestUsage(deps, 'msp-1', [seatOn('acc1'), seatOn('acc2'), seatOn('acc3')]));
    expect(error.issues.map((i) => i.path)).toEqual(['snapshots.1.accountId', 'snapshots.2.accountId']);
    expect(deps.state.snapshots.size).toBe(0);
  });
});
