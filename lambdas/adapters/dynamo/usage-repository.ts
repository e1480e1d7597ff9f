// Usage is stored one item per line and month (days as d01…d31) plus one item per line holding each
// month's closing state (`cd_YYYY-MM` latest day, `cq_YYYY-MM` its quantity): carry-in without history reads.
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { runLimited } from '../../core/calls/pool';
import type { IsoDate, LineUsage, Period, UsageSnapshot } from '../../core/model';
import type { UsageRepository } from '../../core/ports';
import { usageLineItem, usageMonthItem } from './items';
import {
  DEFAULT_PAGE_SIZE,
  type Item,
  isConditionalCheckFailed,
  parseItem,
  queryItems,
  WRITE_PARALLELISM,
} from './support';

const DATE = /^(\d{4}-\d{2})-(\d{2})$/;
const DAY_ATTR = /^d(\d{2})$/;
const CLOSING_QTY = /^cq_(\d{4}-\d{2})$/;

interface MonthGroup {
  partnerId: string;
  accountId: string;
  serviceKey: string;
  period: Period;
  /** day (`05`) → quantity; a later snapshot of the same date replaces an earlier one. */
  days: Map<string, number>;
}

export class DynamoUsageRepository implements UsageRepository {
  private readonly pageSize: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly linesTableName: string,
    opts: { pageSize?: number } = {},
  ) {
    this.pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  }

  async putSnapshots(snapshots: UsageSnapshot[]): Promise<void> {
    const groups = new Map<string, MonthGroup>();
    for (const s of snapshots) {
      const match = DATE.exec(s.date);
      if (!match) throw new Error(`usage date must be YYYY-MM-DD, got ${JSON.stringify(s.date)}`);
      const [, period, day] = match as unknown as [string, string, string];
      const key = JSON.stringify([s.partnerId, s.accountId, s.serviceKey, period]);
      let group = groups.get(key);
      if (!group) {
        group = { partnerId: s.partnerId, accountId: s.accountId, serviceKey: s.serviceKey, period, days: new Map() };
        groups.set(key, group);
      }
      group.days.set(day, s.quantity);
    }
    await runLimited([...groups.values()], WRITE_PARALLELISM, async (group) => {
      await this.writeMonth(group);
      await this.advanceClosing(group);
    });
  }

  async linesForPeriod(partnerId: string, period: Period): Promise<LineUsage[]> {
    const lines = new Map<string, LineUsage>();
    const lineFor = (accountId: string, serviceKey: string): LineUsage => {
      const key = JSON.stringify([accountId, serviceKey]);
      let line = lines.get(key);
      if (!line) {
        line = { accountId, serviceKey, snapshots: [] };
        lines.set(key, line);
      }
      return line;
    };

    for await (const item of queryItems(this.doc, {
      TableName: this.linesTableName,
      KeyConditionExpression: 'partnerId = :p',
      ExpressionAttributeValues: { ':p': partnerId },
      Limit: this.pageSize,
    })) {
      const carryIn = closingBefore(item, period);
      if (carryIn === undefined) continue;
      const { accountId, serviceKey } = parseItem(usageLineItem, item, this.linesTableName);
      lineFor(accountId, serviceKey).carryIn = carryIn;
    }

    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'partnerId = :p AND begins_with(lineMonth, :m)',
      ExpressionAttributeValues: { ':p': partnerId, ':m': `${period}#` },
      Limit: this.pageSize,
    })) {
      const { accountId, serviceKey } = parseItem(usageMonthItem, item, this.tableName);
      const snapshots = daysOf(item, period);
      if (snapshots.length > 0) lineFor(accountId, serviceKey).snapshots.push(...snapshots);
    }

    return [...lines.values()].sort((a, b) => compare(a.accountId, b.accountId) || compare(a.serviceKey, b.serviceKey));
  }

  async lineForPeriod(
    partnerId: string,
    accountId: string,
    serviceKey: string,
    period: Period,
  ): Promise<LineUsage | undefined> {
    const [closing, month] = await Promise.all([
      this.doc.send(
        new GetCommand({ TableName: this.linesTableName, Key: { partnerId, line: `${accountId}#${serviceKey}` } }),
      ),
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { partnerId, lineMonth: `${period}#${accountId}#${serviceKey}` },
        }),
      ),
    ]);
    const carryIn = closing.Item ? closingBefore(closing.Item, period) : undefined;
    const snapshots = month.Item ? daysOf(month.Item, period) : [];
    if (carryIn === undefined && snapshots.length === 0) return undefined;
    return { accountId, serviceKey, ...(carryIn !== undefined && { carryIn }), snapshots };
  }

  private async writeMonth(group: MonthGroup): Promise<void> {
    const values: Item = {
      ':a': group.accountId,
      ':s': group.serviceKey,
      ':p': group.period,
    };
    // Names for the identity attributes: some (e.g. period) may collide with DynamoDB's reserved words.
    const sets = ['#a = :a', '#s = :s', '#p = :p'];
    for (const [day, quantity] of group.days) {
      sets.push(`d${day} = :q${day}`);
      values[`:q${day}`] = quantity;
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: {
          partnerId: group.partnerId,
          lineMonth: `${group.period}#${group.accountId}#${group.serviceKey}`,
        },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: { '#a': 'accountId', '#s': 'serviceKey', '#p': 'period' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Moves the month's closing state forward only: an older day written late must not replace a newer one. */
  private async advanceClosing(group: MonthGroup): Promise<void> {
    const lastDay = [...group.days.keys()].sort().at(-1)!;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.linesTableName,
          Key: { partnerId: group.partnerId, line: `${group.accountId}#${group.serviceKey}` },
          UpdateExpression: 'SET #cd = :day, #cq = :q, #a = :a, #s = :s',
          ConditionExpression: 'attribute_not_exists(#cd) OR #cd <= :day',
          ExpressionAttributeNames: {
            '#cd': `cd_${group.period}`,
            '#cq': `cq_${group.period}`,
            '#a': 'accountId',
            '#s': 'serviceKey',
          },
          ExpressionAttributeValues: {
            ':day': `${group.period}-${lastDay}`,
            ':q': group.days.get(lastDay),
            ':a': group.accountId,
            ':s': group.serviceKey,
          },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
  }
}

/** The closing quantity of the latest month before `period` that the line has, if any. */
function closingBefore(item: Item, period: Period): number | undefined {
  let best: { month: string; quantity: number } | undefined;
  for (const [name, value] of Object.entries(item)) {
    const month = CLOSING_QTY.exec(name)?.[1];
    if (!month || month >= period || typeof value !== 'number') continue;
    if (!best || month > best.month) best = { month, quantity: value };
  }
  return best?.quantity;
}

function daysOf(item: Item, period: Period): Array<{ date: IsoDate; quantity: number }> {
  const out: Array<{ date: IsoDate; quantity: number }> = [];
  for (const [name, value] of Object.entries(item)) {
    const day = DAY_ATTR.exec(name)?.[1];
    if (!day) continue;
    if (typeof value !== 'number') throw new Error(`usage attribute ${name} is not a number`);
    out.push({ date: `${period}-${day}`, quantity: value });
  }
  return out.sort((a, b) => compare(a.date, b.date));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
