// Runs, their receipts (one item per line a request was made for, batches for the rest), and two kinds of items beside the runs in each partner's partition of the runs table:
// the partner's lease (`#lease`) and resync idempotency keys (`#key#…`). Run ids never start with '#', so these
// keys cannot collide with a run, and listing runs skips them by key.
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  isRunFinished,
  type LineReceipt,
  type PartnerLease,
  type ResyncClaim,
  type Run,
  type RunStatus,
} from '../../core/model';
import type { RunRepository } from '../../core/ports';
import { TABLES } from '../../shared/tables';
import { claimItem, receiptBatchItem, receiptItem, runItem } from './items';
import { BATCH_KEY_PREFIX, fromBatch, latestPerLine, toBatches } from './receipt-batches';
import {
  batchWrite,
  DEFAULT_PAGE_SIZE,
  expiresAtFrom,
  type Item,
  isConditionalCheckFailed,
  parseItem,
  queryItems,
} from './support';

type AcquireResult = Awaited<ReturnType<RunRepository['acquire']>>;
type LeaseResult = Awaited<ReturnType<RunRepository['leasePartner']>>;
type ClaimResult = Awaited<ReturnType<RunRepository['claim']>>;
type RunPatch = Parameters<RunRepository['update']>[2];

const OPEN_INDEX = TABLES.runs.globalIndexes[0].indexName;
/** The sparse index's key: set while a run is queued or running, removed when it finishes. */
const OPEN = { attribute: TABLES.runs.globalIndexes[0].partitionKey.name, value: 'Y' } as const;
const LEASE_KEY = '#lease';
const claimKey = (key: string) => `#key#${key}`;
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/** Every run id sorts at or after this (ids start with a letter or digit); the '#' items sort before it. */
const FIRST_RUN_ID = '0';

/** A stored run item with the open marker its status calls for (also what a local table rebuild backfills). */
export function withOpenMarker(item: Record<string, unknown>): Record<string, unknown> {
  const { [OPEN.attribute]: _, ...rest } = item;
  const status = item.status as RunStatus | undefined;
  return status && !isRunFinished(status) && typeof item.runId === 'string' && !item.runId.startsWith('#')
    ? { ...rest, [OPEN.attribute]: OPEN.value }
    : rest;
}

export class DynamoRunRepository implements RunRepository {
  private readonly pageSize: number;
  private readonly clock: () => number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly receiptsTableName: string,
    opts: { pageSize?: number; clock?: () => number } = {},
  ) {
    this.pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
    this.clock = opts.clock ?? Date.now;
  }

  async create(run: Run): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: withOpenMarker({ ...run, expiresAt: expiresAtFrom(this.clock()) }),
          ConditionExpression: 'attribute_not_exists(runId)',
        }),
      );
    } catch (err) {
      // The same message enqueued twice: the first run stands.
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async get(partnerId: string, runId: string): Promise<Run | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { partnerId, runId }, ConsistentRead: true }),
    );
    return res.Item ? parseItem(runItem, res.Item, this.tableName) : undefined;
  }

  async list(partnerId: string, limit: number, options: { before?: string } = {}): Promise<Run[]> {
    const runs: Run[] = [];
    if (limit <= 0) return runs;
    const startKey = options.before === undefined ? undefined : { partnerId, runId: options.before };
    for await (const item of queryItems(
      this.doc,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'partnerId = :p AND runId >= :first',
        ExpressionAttributeValues: { ':p': partnerId, ':first': FIRST_RUN_ID },
        ScanIndexForward: false,
        Limit: Math.min(limit, this.pageSize),
      },
      startKey,
    )) {
      runs.push(parseItem(runItem, item, this.tableName));
      if (runs.length >= limit) break;
    }
    return runs;
  }

  /** One conditional write takes the lease, so two deliveries can never both hold the run. */
  async acquire(partnerId: string, runId: string, now: string, leaseUntil: string): Promise<AcquireResult> {
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { partnerId, runId },
          UpdateExpression:
            'SET #status = :running, leaseUntil = :lease, startedAt = if_not_exists(startedAt, :now), ' +
            // A run stored before continuations counted its deliveries as `attempts`.
            'deliveries = if_not_exists(deliveries, if_not_exists(attempts, :zero)) + :one',
          ConditionExpression:
            '#status = :queued OR (#status = :running AND (leaseUntil < :now OR attribute_not_exists(leaseUntil)))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':running': 'running',
            ':queued': 'queued',
            ':lease': leaseUntil,
            ':now': now,
            ':zero': 0,
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { kind: 'acquired', run: parseItem(runItem, res.Attributes ?? {}, this.tableName) };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const run = await this.get(partnerId, runId);
    if (!run) return { kind: 'missing' };
    if (isRunFinished(run.status)) return { kind: 'finished', run };
    return { kind: 'busy' };
  }

  async update(partnerId: string, runId: string, patch: RunPatch): Promise<void> {
    const names: Record<string, string> = {};
    const values: Item = {};
    const sets: string[] = [];
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const i = sets.length;
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      sets.push(`#f${i} = :v${i}`);
    }
    if (sets.length === 0) return;
    // A finished run leaves the open-runs index.
    const leaves = patch.status !== undefined && isRunFinished(patch.status);
    if (leaves) names['#open'] = OPEN.attribute;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { partnerId, runId },
        UpdateExpression: `SET ${sets.join(', ')}${leaves ? ' REMOVE #open' : ''}`,
        // Never create a stray run from a patch.
        ConditionExpression: 'attribute_exists(runId)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async *listOpen(): AsyncGenerator<Run> {
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      IndexName: OPEN_INDEX,
      KeyConditionExpression: '#open = :y',
      ExpressionAttributeNames: { '#open': OPEN.attribute },
      ExpressionAttributeValues: { ':y': OPEN.value },
      Limit: this.pageSize,
    })) {
      yield parseItem(runItem, item, this.tableName);
    }
  }

  /** The rule of `partnerLeaseFree` as one conditional write: free, expired, or already this run's. */
  async leasePartner(partnerId: string, lease: PartnerLease, now: string, retried = false): Promise<LeaseResult> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { partnerId, runId: LEASE_KEY, holder: lease.runId, until: lease.until },
          ConditionExpression: 'attribute_not_exists(runId) OR #until < :now OR holder = :holder',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':now': now, ':holder': lease.runId },
        }),
      );
      return { kind: 'taken' };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { partnerId, runId: LEASE_KEY }, ConsistentRead: true }),
    );
    const held = res.Item as { holder: string; until: string } | undefined;
    // Released between our write and our read: try once more.
    if (!held)
      return retried
        ? { kind: 'held', lease: { runId: '?', until: now } }
        : this.leasePartner(partnerId, lease, now, true);
    return { kind: 'held', lease: { runId: held.holder, until: held.until } };
  }

  async releasePartner(partnerId: string, runId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { partnerId, runId: LEASE_KEY },
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': runId },
        }),
      );
    } catch (err) {
      // Not ours (any more): another run took it after ours ran out, or nobody holds it.
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }

  async getClaim(partnerId: string, key: string, now: string): Promise<ResyncClaim | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { partnerId, runId: claimKey(key) }, ConsistentRead: true }),
    );
    if (!res.Item) return undefined;
    const stored = parseItem(claimItem, res.Item, this.tableName);
    // TTL deletes expired items late (and dynalite never): an expired claim is no claim.
    if (stored.expiresAt <= epochSeconds(now)) return undefined;
    return { ...stored, expiresAt: new Date(stored.expiresAt * 1000).toISOString() };
  }

  async claim(partnerId: string, claim: ResyncClaim, now: string): Promise<ClaimResult> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...claim, partnerId, runId: claimKey(claim.key), expiresAt: epochSeconds(claim.expiresAt) },
          ConditionExpression: 'attribute_not_exists(runId) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': epochSeconds(now) },
        }),
      );
      return { kind: 'claimed' };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    const existing = await this.getClaim(partnerId, claim.key, now);
    // Forgotten between our write and our read: claim again.
    return existing ? { kind: 'existing', claim: existing } : this.claim(partnerId, claim, now);
  }

  async forgetClaim(partnerId: string, key: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { partnerId, runId: claimKey(key) } }));
  }

  async putReceipt(partnerId: string, receipt: LineReceipt): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.receiptsTableName, Item: this.receiptItem(partnerId, receipt) }),
    );
  }

  /** Receipts of lines settled without a request, many to an item (`receipt-batches.ts`): a write per batch. */
  async putReceipts(partnerId: string, receipts: LineReceipt[]): Promise<void> {
    const runKeys = new Map<string, LineReceipt[]>();
    for (const r of receipts) {
      const ofRun = runKeys.get(r.runId);
      if (ofRun) ofRun.push(r);
      else runKeys.set(r.runId, [r]);
    }
    const requests = [...runKeys].flatMap(([runId, ofRun]) =>
      toBatches(ofRun).map((batch) => ({
        PutRequest: {
          Item: {
            runKey: `${partnerId}#${runId}`,
            line: batch.key,
            groups: batch.groups,
            expiresAt: expiresAtFrom(this.clock()),
          },
        },
      })),
    );
    await batchWrite(this.doc, this.receiptsTableName, requests);
  }

  private receiptItem(partnerId: string, receipt: LineReceipt) {
    return {
      ...receipt,
      runKey: `${partnerId}#${receipt.runId}`,
      line: `${receipt.accountId}#${receipt.serviceKey}`,
      expiresAt: expiresAtFrom(this.clock()),
    };
  }

  listReceipts(partnerId: string, runId: string): Promise<LineReceipt[]> {
    return this.queryReceipts({
      KeyConditionExpression: 'runKey = :k',
      ExpressionAttributeValues: { ':k': `${partnerId}#${runId}` },
    });
  }

  /**
   * One account's receipts of a run: its lines' own items and its entries in the run's receipt batches (which
   * hold many accounts, so the whole run is read and filtered).
   */
  async listAccountReceipts(partnerId: string, runId: string, accountId: string): Promise<LineReceipt[]> {
    return (await this.listReceipts(partnerId, runId)).filter((r) => r.accountId === accountId);
  }

  private async queryReceipts(
    key: Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<LineReceipt[]> {
    const own: LineReceipt[] = [];
    const batched: LineReceipt[] = [];
    for await (const item of queryItems(this.doc, {
      TableName: this.receiptsTableName,
      ...key,
      Limit: this.pageSize,
    })) {
      if (String(item.line).startsWith(BATCH_KEY_PREFIX)) {
        batched.push(...fromBatch(parseItem(receiptBatchItem, item, this.receiptsTableName).groups));
      } else {
        own.push(parseItem(receiptItem, item, this.receiptsTableName));
      }
    }
    return latestPerLine(own, batched);
  }
}
