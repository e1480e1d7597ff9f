import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/adapters/dynamo/client';
import { DynamoPartnerRepository } from '../../lambdas/adapters/dynamo/partner-repository';
import type { AccountMapping, LineReceipt, Partner, Run, UsageSnapshot } from '../../lambdas/core/model';
import { emptySummary } from '../../lambdas/core/model';
import { type LocalAws, startLocalAws } from '../support/local-aws';

let aws: LocalAws;
let seq = 0;
/** Each test works on its own partner so tests never see each other's items. */
const newPartnerId = () => `p-${++seq}-${Date.now()}`;

beforeAll(async () => {
  aws = await startLocalAws({ pageSize: 3 });
});
afterAll(async () => {
  await aws?.close();
});

const partner = (partnerId: string, status: Partner['status']): Partner => ({
  partnerId,
  status,
  roundingPolicy: 'none',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const snap = (partnerId: string, accountId: string, serviceKey: string, date: string, quantity: number) =>
  ({ partnerId, accountId, serviceKey, date, quantity }) satisfies UsageSnapshot;

const run = (partnerId: string, runId: string, patch: Partial<Run> = {}): Run => ({
  runId,
  partnerId,
  period: '2026-03',
  asOf: '2026-03-10',
  full: false,
  trigger: 'schedule',
  status: 'queued',
  queuedAt: '2026-03-10T02:00:00.000Z',
  deliveries: 0,
  continuations: 0,
  summary: emptySummary(),
  ...patch,
});

describe('document client', () => {
  it('finds the local endpoint through AWS_ENDPOINT_URL_DYNAMODB, as production code relies on', async () => {
    const before = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = aws.dynamoEndpoint;
    const doc = createDocumentClient();
    try {
      const repo = new DynamoPartnerRepository(doc, aws.tableNames.TABLE_PARTNERS);
      const id = newPartnerId();
      await repo.put(partner(id, 'pending'));
      expect(await aws.repos.partners.get(id)).toEqual(partner(id, 'pending'));
    } finally {
      doc.destroy();
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      else process.env.AWS_ENDPOINT_URL_DYNAMODB = before;
    }
  });
});

describe('partners', () => {
  it('round-trips a partner and drops the sync flag from what it reads back', async () => {
    const id = newPartnerId();
    const p: Partner = {
      ...partner(id, 'connected'),
      organizationName: 'Acme MSP',
      closeDay: 4,
      lastRun: { runId: 'r1', period: '2026-03', status: 'succeeded', summary: { ...emptySummary(), lines: 4 } },
    };
    await aws.repos.partners.put(p);
    expect(await aws.repos.partners.get(id)).toEqual(p);
    expect(await aws.repos.partners.get('nobody')).toBeUndefined();
  });

  it('lists only pending and connected partners through the sparse index, across several pages', async () => {
    // A table of its own so the expected set is exact; page size 2 forces paging.
    const repo = new DynamoPartnerRepository(aws.doc, aws.tableNames.TABLE_PARTNERS, { pageSize: 2 });
    const statuses: Partner['status'][] = ['pending', 'connected', 'auth_failed', 'disconnected'];
    const prefix = newPartnerId();
    const expected: string[] = [];
    for (let i = 0; i < 12; i++) {
      const status = statuses[i % statuses.length]!;
      const id = `${prefix}-${String(i).padStart(2, '0')}`;
      await repo.put(partner(id, status));
      if (status === 'pending' || status === 'connected') expected.push(id);
    }
    // A partner that was syncing and then disconnected leaves the index.
    await repo.put(partner(`${prefix}-00`, 'disconnected'));
    expected.shift();

    const listed: string[] = [];
    for await (const p of repo.listSyncEnabled()) {
      if (p.partnerId.startsWith(prefix)) listed.push(p.partnerId);
    }
    expect(listed.sort()).toEqual(expected.sort());
    expect(listed).toHaveLength(5);
  });
});

describe('catalog and accounts', () => {
  it('round-trips catalog services and lists them with one query', async () => {
    const svc = {
      serviceKey: 'backup-gb',
      name: 'Backup',
      description: 'Cloud backup storage',
      category: 'Backup',
      subcategory: 'Cloud',
      aggregation: 'peak' as const,
      unitScale: 1e9,
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    await aws.repos.catalog.put(svc);
    await aws.repos.catalog.put({ ...svc, serviceKey: 'seats', unitScale: undefined, gradientServiceId: 'g-1' });
    expect(await aws.repos.catalog.get('backup-gb')).toEqual(svc);
    const list = await aws.repos.catalog.list();
    expect(list.map((s) => s.serviceKey).sort()).toEqual(['backup-gb', 'seats']);
    expect(list.find((s) => s.serviceKey === 'seats')).not.toHaveProperty('unitScale');
  });

  it('round-trips the basis of an average service, and reads a service stored without one as it was', async () => {
    const svc = {
      serviceKey: 'avg-seats',
      name: 'Seats',
      description: 'Seats on the daily average',
      category: 'security',
      subcategory: 'password management',
      aggregation: 'average' as const,
      averageBasis: 'projected' as const,
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    await aws.repos.catalog.put(svc);
    expect(await aws.repos.catalog.get('avg-seats')).toEqual(svc);
    const { averageBasis: _, ...legacy } = { ...svc, serviceKey: 'avg-legacy' };
    await aws.repos.catalog.put(legacy);
    expect(await aws.repos.catalog.get('avg-legacy')).toEqual(legacy);
  });

  it('round-trips accounts per partner', async () => {
    const id = newPartnerId();
    const a = { partnerId: id, accountId: 'a1', name: 'Contoso', active: true, updatedAt: '2026-01-01T00:00:00Z' };
    await aws.repos.accounts.put(a);
    await aws.repos.accounts.put({ ...a, accountId: 'a2', name: 'Fabrikam', description: 'x', active: false });
    expect(await aws.repos.accounts.get(id, 'a1')).toEqual(a);
    expect(await aws.repos.accounts.get(id, 'nope')).toBeUndefined();
    expect((await aws.repos.accounts.list(id)).map((x) => x.name)).toEqual(['Contoso', 'Fabrikam']);
  });
});

describe('mappings', () => {
  it('keeps account and service mappings apart and forgets them all on deleteAll', async () => {
    const id = newPartnerId();
    const accounts: AccountMapping[] = Array.from({ length: 60 }, (_, i) => ({
      partnerId: id,
      accountId: `a${i}`,
      gradientName: `Company ${i}`,
      isMapped: i % 2 === 0,
      syncedAt: '2026-01-01T00:00:00Z',
    }));
    await aws.repos.mappings.putAccounts(accounts);
    await aws.repos.mappings.putServices([
      { partnerId: id, serviceKey: 'seats', gradientServiceId: 'g-seats', syncedAt: '2026-01-01T00:00:00Z' },
    ]);
    // The last of two mappings for one account wins.
    await aws.repos.mappings.putAccounts([
      { ...accounts[0]!, isMapped: false },
      { ...accounts[0]!, isMapped: true, gradientName: 'Renamed' },
    ]);

    const listed = await aws.repos.mappings.listAccounts(id);
    expect(listed).toHaveLength(60);
    expect(listed.find((m) => m.accountId === 'a0')).toMatchObject({ gradientName: 'Renamed', isMapped: true });
    expect(await aws.repos.mappings.listServices(id)).toEqual([
      { partnerId: id, serviceKey: 'seats', gradientServiceId: 'g-seats', syncedAt: '2026-01-01T00:00:00Z' },
    ]);

    const other = newPartnerId();
    await aws.repos.mappings.putServices([
      { partnerId: other, serviceKey: 's', gradientServiceId: 'g', syncedAt: 'x' },
    ]);
    await aws.repos.mappings.deleteAll(id);
    expect(await aws.repos.mappings.listAccounts(id)).toEqual([]);
    expect(await aws.repos.mappings.listServices(id)).toEqual([]);
    expect(await aws.repos.mappings.listServices(other)).toHaveLength(1);
  });
});

describe('usage', () => {
  it('returns the period snapshots in date order and overwrites the same date', async () => {
    const id = newPartnerId();
    await aws.repos.usage.putSnapshots([
      snap(id, 'a1', 'seats', '2026-03-17', 5),
      snap(id, 'a1', 'seats', '2026-03-05', 3),
      snap(id, 'a1', 'seats', '2026-04-01', 99),
    ]);
    await aws.repos.usage.putSnapshots([snap(id, 'a1', 'seats', '2026-03-05', 4)]);
    expect(await aws.repos.usage.linesForPeriod(id, '2026-03')).toEqual([
      {
        accountId: 'a1',
        serviceKey: 'seats',
        snapshots: [
          { date: '2026-03-05', quantity: 4 },
          { date: '2026-03-17', quantity: 5 },
        ],
      },
    ]);
  });

  it('carries in the closing quantity of the latest earlier month, even two months back', async () => {
    const id = newPartnerId();
    await aws.repos.usage.putSnapshots([
      snap(id, 'a1', 'seats', '2025-12-03', 1),
      snap(id, 'a1', 'seats', '2026-01-10', 7),
      snap(id, 'a1', 'seats', '2026-01-28', 8),
      snap(id, 'a1', 'seats', '2026-03-02', 9),
    ]);
    const lines = await aws.repos.usage.linesForPeriod(id, '2026-03');
    expect(lines).toEqual([
      { accountId: 'a1', serviceKey: 'seats', carryIn: 8, snapshots: [{ date: '2026-03-02', quantity: 9 }] },
    ]);
    // The period itself never counts as carry-in; a later month is invisible.
    expect(await aws.repos.usage.linesForPeriod(id, '2026-01')).toEqual([
      {
        accountId: 'a1',
        serviceKey: 'seats',
        carryIn: 1,
        snapshots: [
          { date: '2026-01-10', quantity: 7 },
          { date: '2026-01-28', quantity: 8 },
        ],
      },
    ]);
  });

  it('keeps the closing state when an older day of the month is written later', async () => {
    const id = newPartnerId();
    await aws.repos.usage.putSnapshots([snap(id, 'a1', 'seats', '2026-02-20', 20)]);
    await aws.repos.usage.putSnapshots([snap(id, 'a1', 'seats', '2026-02-10', 10)]);
    const [line] = await aws.repos.usage.linesForPeriod(id, '2026-03');
    expect(line?.carryIn).toBe(20);

    // Overwriting the latest day itself does move the closing quantity.
    await aws.repos.usage.putSnapshots([snap(id, 'a1', 'seats', '2026-02-20', 25)]);
    const [again] = await aws.repos.usage.linesForPeriod(id, '2026-03');
    expect(again?.carryIn).toBe(25);
  });

  it('lists lines that only have data in earlier months, and no lines that start after the period', async () => {
    const id = newPartnerId();
    await aws.repos.usage.putSnapshots([
      snap(id, 'a1', 'seats', '2026-01-15', 3),
      snap(id, 'a2', 'backup', '2026-03-01', 2),
      snap(id, 'a3', 'seats', '2026-05-01', 1),
    ]);
    const lines = await aws.repos.usage.linesForPeriod(id, '2026-03');
    expect(lines).toEqual([
      { accountId: 'a1', serviceKey: 'seats', carryIn: 3, snapshots: [] },
      { accountId: 'a2', serviceKey: 'backup', snapshots: [{ date: '2026-03-01', quantity: 2 }] },
    ]);
  });

  it('takes in 1000 snapshots of 50 lines and reads every line back across pages', async () => {
    const id = newPartnerId();
    const snapshots: UsageSnapshot[] = [];
    for (let a = 0; a < 50; a++) {
      for (let d = 1; d <= 20; d++) {
        snapshots.push(snap(id, `a${String(a).padStart(3, '0')}`, 'seats', `2026-03-${String(d).padStart(2, '0')}`, d));
      }
    }
    await aws.repos.usage.putSnapshots(snapshots);
    const lines = await aws.repos.usage.linesForPeriod(id, '2026-03');
    expect(lines).toHaveLength(50);
    expect(lines.every((l) => l.snapshots.length === 20 && l.carryIn === undefined)).toBe(true);
  });

  it('rejects a snapshot whose date is not YYYY-MM-DD', async () => {
    await expect(aws.repos.usage.putSnapshots([snap('p', 'a', 's', '2026-3-1', 1)])).rejects.toThrow(/YYYY-MM-DD/);
  });
});

describe('held values', () => {
  it('keeps one value per line whatever the period, the last put winning, and forgets everything on deleteAll', async () => {
    const id = newPartnerId();
    const base = {
      partnerId: id,
      accountId: 'a1',
      serviceKey: 'seats',
      runId: 'r',
      acceptedAt: '2026-03-01T00:00:00Z',
      serviceId: 'sku-1',
    };
    for (let i = 0; i < 30; i++) {
      await aws.repos.held.put({ ...base, accountId: `a${i}`, period: '2026-03', value: i });
    }
    await aws.repos.held.put({ ...base, period: '2026-02', value: 42 });

    const held = await aws.repos.held.list(id);
    expect(held).toHaveLength(30);
    expect(held.find((v) => v.accountId === 'a1')).toEqual({ ...base, period: '2026-02', value: 42 });
    expect(await aws.repos.held.list(newPartnerId())).toEqual([]);

    await aws.repos.held.deleteAll(id);
    expect(await aws.repos.held.list(id)).toEqual([]);
  });
});

describe('runs', () => {
  it('creates a run once: a second create with the same id changes nothing', async () => {
    const id = newPartnerId();
    await aws.repos.runs.create(run(id, 'r1'));
    await aws.repos.runs.create(run(id, 'r1', { full: true, asOf: '2026-03-31' }));
    expect(await aws.repos.runs.get(id, 'r1')).toEqual(run(id, 'r1'));
    expect(await aws.repos.runs.get(id, 'r2')).toBeUndefined();
  });

  it('stores an expiry about 400 days out for TTL', async () => {
    const id = newPartnerId();
    await aws.repos.runs.create(run(id, 'r1'));
    const { Item: item } = await aws.doc.send(
      new GetCommand({ TableName: aws.tableNames.TABLE_RUNS, Key: { partnerId: id, runId: 'r1' } }),
    );
    const days = (item?.expiresAt - Date.now() / 1000) / 86_400;
    expect(days).toBeGreaterThan(399);
    expect(days).toBeLessThan(401);
  });

  it('lists runs newest first, up to the limit', async () => {
    const id = newPartnerId();
    for (const runId of ['2026-03-01T02:00:00Z#a', '2026-03-03T02:00:00Z#c', '2026-03-02T02:00:00Z#b']) {
      await aws.repos.runs.create(run(id, runId));
    }
    const runs = await aws.repos.runs.list(id, 2);
    expect(runs.map((r) => r.runId)).toEqual(['2026-03-03T02:00:00Z#c', '2026-03-02T02:00:00Z#b']);
    expect(await aws.repos.runs.list(id, 10)).toHaveLength(3);
  });

  it('leases a run to one delivery at a time and lets an expired lease be taken again', async () => {
    const id = newPartnerId();
    await aws.repos.runs.create(run(id, 'r1'));

    const first = await aws.repos.runs.acquire(id, 'r1', '2026-03-10T02:00:00.000Z', '2026-03-10T02:15:00.000Z');
    expect(first).toMatchObject({
      kind: 'acquired',
      run: {
        status: 'running',
        deliveries: 1,
        startedAt: '2026-03-10T02:00:00.000Z',
        leaseUntil: '2026-03-10T02:15:00.000Z',
      },
    });
    expect(await aws.repos.runs.acquire(id, 'r1', '2026-03-10T02:01:00.000Z', '2026-03-10T02:16:00.000Z')).toEqual({
      kind: 'busy',
    });

    const second = await aws.repos.runs.acquire(id, 'r1', '2026-03-10T02:20:00.000Z', '2026-03-10T02:35:00.000Z');
    expect(second).toMatchObject({
      kind: 'acquired',
      run: { deliveries: 2, startedAt: '2026-03-10T02:00:00.000Z', leaseUntil: '2026-03-10T02:35:00.000Z' },
    });

    const summary = { ...emptySummary(), lines: 3, sent: 3, accepted: 3 };
    await aws.repos.runs.update(id, 'r1', { status: 'succeeded', summary, finishedAt: '2026-03-10T02:21:00.000Z' });
    const done = await aws.repos.runs.acquire(id, 'r1', '2026-03-10T03:00:00.000Z', '2026-03-10T03:15:00.000Z');
    expect(done).toMatchObject({ kind: 'finished', run: { status: 'succeeded', summary, deliveries: 2 } });

    expect(await aws.repos.runs.acquire(id, 'ghost', '2026-03-10T03:00:00.000Z', '2026-03-10T03:15:00.000Z')).toEqual({
      kind: 'missing',
    });
  });

  it('reads a run stored before continuations (deliveries as `attempts`) and counts on from it', async () => {
    const id = newPartnerId();
    const { deliveries: _, continuations: __, ...legacy } = run(id, 'old', { status: 'running' });
    await aws.doc.send(new PutCommand({ TableName: aws.tableNames.TABLE_RUNS, Item: { ...legacy, attempts: 3 } }));
    expect(await aws.repos.runs.get(id, 'old')).toMatchObject({ deliveries: 3, continuations: 0 });

    const taken = await aws.repos.runs.acquire(id, 'old', '2026-03-10T02:00:00.000Z', '2026-03-10T02:15:00.000Z');
    expect(taken).toMatchObject({ kind: 'acquired', run: { deliveries: 4, continuations: 0 } });
  });

  it('lists only open runs in the sparse index: queued and running in, finished out', async () => {
    const id = newPartnerId();
    for (const runId of ['r1', 'r2', 'r3']) await aws.repos.runs.create(run(id, runId));
    await aws.repos.runs.acquire(id, 'r2', '2026-03-10T02:00:00.000Z', '2026-03-10T02:15:00.000Z');
    await aws.repos.runs.update(id, 'r3', { status: 'partial', finishedAt: '2026-03-10T02:05:00.000Z' });
    await aws.repos.runs.leasePartner(id, { runId: 'r2', until: '2026-03-10T02:15:00.000Z' }, '2026-03-10T02:00:00Z');

    const open: Run[] = [];
    for await (const r of aws.repos.runs.listOpen()) if (r.partnerId === id) open.push(r);
    expect(open.map((r) => [r.runId, r.status]).sort()).toEqual([
      ['r1', 'queued'],
      ['r2', 'running'],
    ]);
    // The partner's lease lives beside the runs but is never listed as one.
    expect((await aws.repos.runs.list(id, 10)).map((r) => r.runId)).toEqual(['r3', 'r2', 'r1']);
  });

  it.each([
    { when: 'nobody holds it', held: undefined, taken: true },
    { when: 'the holder ran out of time', held: { runId: 'r0', until: '2026-03-10T01:59:59.999Z' }, taken: true },
    { when: 'this run holds it already', held: { runId: 'r1', until: '2026-03-10T02:30:00.000Z' }, taken: true },
    {
      when: 'another run holds it until later',
      held: { runId: 'r0', until: '2026-03-10T02:30:00.000Z' },
      taken: false,
    },
    { when: 'another run holds it until now', held: { runId: 'r0', until: '2026-03-10T02:00:00.000Z' }, taken: false },
  ])('takes the partner lease with one conditional write ($taken) when $when', async ({ held, taken }) => {
    const id = newPartnerId();
    const now = '2026-03-10T02:00:00.000Z';
    if (held) await aws.repos.runs.leasePartner(id, held, '2000-01-01T00:00:00.000Z');
    const lease = { runId: 'r1', until: '2026-03-10T02:45:00.000Z' };
    const result = await aws.repos.runs.leasePartner(id, lease, now);
    expect(result).toEqual(taken ? { kind: 'taken' } : { kind: 'held', lease: held });
    // Whoever holds it now is the only one whose release frees it.
    const holder = taken ? lease : held!;
    await aws.repos.runs.releasePartner(id, holder.runId === 'r1' ? 'r0' : 'r1');
    expect(await aws.repos.runs.leasePartner(id, { runId: 'r9', until: lease.until }, now)).toEqual({
      kind: 'held',
      lease: holder,
    });
    await aws.repos.runs.releasePartner(id, holder.runId);
    expect(await aws.repos.runs.leasePartner(id, { runId: 'r9', until: lease.until }, now)).toEqual({ kind: 'taken' });
  });

  it('claims a resync key once per partner until it expires, and forgets it on request', async () => {
    const id = newPartnerId();
    const claim = (runId: string, key = 'k#1 with spaces') => ({
      key,
      request: { period: '2026-02', full: true },
      answer: { runId, period: '2026-02', asOf: '2026-02-28', full: true },
      expiresAt: '2026-03-11T02:00:00.000Z',
    });
    const now = '2026-03-10T02:00:00.000Z';
    expect(await aws.repos.runs.claim(id, claim('r1'), now)).toEqual({ kind: 'claimed' });
    expect(await aws.repos.runs.claim(id, claim('r2'), now)).toEqual({ kind: 'existing', claim: claim('r1') });
    expect(await aws.repos.runs.getClaim(id, 'k#1 with spaces', now)).toEqual(claim('r1'));
    expect(await aws.repos.runs.claim(newPartnerId(), claim('r3'), now)).toEqual({ kind: 'claimed' });
    // Past its expiry the key is free again (TTL removes the item later; reads do not wait for it).
    const later = '2026-03-11T02:00:00.000Z';
    expect(await aws.repos.runs.getClaim(id, 'k#1 with spaces', later)).toBeUndefined();
    expect(await aws.repos.runs.claim(id, { ...claim('r4'), expiresAt: '2026-03-12T02:00:00.000Z' }, later)).toEqual({
      kind: 'claimed',
    });
    await aws.repos.runs.forgetClaim(id, 'k#1 with spaces');
    expect(await aws.repos.runs.getClaim(id, 'k#1 with spaces', later)).toBeUndefined();
    expect(await aws.repos.runs.list(id, 10)).toEqual([]);
  });

  it('refuses to update a run that does not exist', async () => {
    await expect(aws.repos.runs.update(newPartnerId(), 'ghost', { status: 'failed' })).rejects.toThrow();
  });

  it('records an error on a failed run', async () => {
    const id = newPartnerId();
    await aws.repos.runs.create(run(id, 'r1'));
    await aws.repos.runs.update(id, 'r1', { status: 'failed', error: { code: 'auth_failed', message: 'key refused' } });
    expect(await aws.repos.runs.get(id, 'r1')).toMatchObject({
      status: 'failed',
      error: { code: 'auth_failed', message: 'key refused' },
    });
  });

  it('keeps receipts per run and reads them back across pages', async () => {
    const id = newPartnerId();
    const receipt = (i: number): LineReceipt => ({
      runId: 'r1',
      accountId: `a${String(i).padStart(2, '0')}`,
      serviceKey: 'seats',
      computed: i + 0.25,
      pushed: i + 1,
      outcome: i % 3 === 0 ? 'not_mapped' : 'accepted',
      httpStatus: i % 3 === 0 ? 404 : 201,
      attempts: 1,
      at: '2026-03-10T02:00:00Z',
    });
    for (let i = 0; i < 4; i++) await aws.repos.runs.putReceipt(id, receipt(i));
    // The rest in one batched write, as a run stores the lines it decides without a request.
    await aws.repos.runs.putReceipts(
      id,
      Array.from({ length: 6 }, (_, i) => receipt(i + 4)),
    );
    await aws.repos.runs.putReceipt(id, { ...receipt(0), runId: 'r2' });

    const receipts = await aws.repos.runs.listReceipts(id, 'r1');
    expect(receipts).toEqual(Array.from({ length: 10 }, (_, i) => receipt(i)));
    expect(await aws.repos.runs.listReceipts(id, 'r2')).toHaveLength(1);
  });
});

describe('receipts of lines settled without a request', () => {
  const quiet = (i: number, over: Partial<LineReceipt> = {}): LineReceipt => ({
    runId: 'r1',
    accountId: `acct-${String(i).padStart(4, '0')}`,
    serviceKey: i % 2 === 0 ? 'seats' : 'storage.gb',
    computed: i + 0.1234,
    pushed: i % 5 === 0 ? i + 1 : i + 0.1234,
    outcome: 'unchanged',
    attempts: 0,
    at: '2026-03-10T02:00:00.000Z',
    ...over,
  });

  it('stores many to an item and reads every one back exactly', async () => {
    const id = newPartnerId();
    const receipts = [
      ...Array.from({ length: 40 }, (_, i) => quiet(i)),
      quiet(40, { outcome: 'not_mapped', detail: 'account not mapped in Synthesize' }),
    ];
    await aws.repos.runs.putReceipts(id, receipts);
    const items = await aws.doc.send(
      new QueryCommand({
        TableName: aws.tableNames.TABLE_RECEIPTS,
        KeyConditionExpression: 'runKey = :k',
        ExpressionAttributeValues: { ':k': `${id}#r1` },
      }),
    );
    expect(items.Count).toBe(1);
    expect(await aws.repos.runs.listReceipts(id, 'r1')).toEqual(receipts);
  });

  it('lets a later receipt of the same line win over a batched one', async () => {
    const id = newPartnerId();
    await aws.repos.runs.putReceipts(id, [quiet(1), quiet(2)]);
    const sent = {
      ...quiet(2),
      outcome: 'accepted' as const,
      httpStatus: 201,
      attempts: 1,
      at: '2026-03-10T02:00:01.000Z',
    };
    await aws.repos.runs.putReceipt(id, sent);
    await aws.repos.runs.putReceipts(id, [{ ...quiet(1), at: '2026-03-10T02:05:00.000Z' }]);
    expect(await aws.repos.runs.listReceipts(id, 'r1')).toEqual([
      { ...quiet(1), at: '2026-03-10T02:05:00.000Z' },
      sent,
    ]);
  });
});
