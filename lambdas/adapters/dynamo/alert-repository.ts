// Billing-health alerts, one partition per partner and period (`partnerId#period`): an item per alertId, claimed
// by a conditional put so two deliveries of a run never post the same alert, and `#refused` once Gradient refused
// the period's alerts. Items age out after 400 days, like the runs they came from.
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  ALERT_RETRY_STATUSES,
  type AlertRefusal,
  type Period,
  type PeriodAlerts,
  type SentAlert,
} from '../../core/model';
import type { AlertRepository } from '../../core/ports';
import { alertRefusalItem, sentAlertItem } from './items';
import { expiresAtFrom, isConditionalCheckFailed, parseItem, queryItems } from './support';

const REFUSED = '#refused';
const keyOf = (partnerId: string, period: Period) => `${partnerId}#${period}`;

export class DynamoAlertRepository implements AlertRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(partnerId: string, period: Period): Promise<PeriodAlerts> {
    const alerts: SentAlert[] = [];
    let refusal: AlertRefusal | undefined;
    for await (const item of queryItems(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'alertsKey = :k',
      ExpressionAttributeValues: { ':k': keyOf(partnerId, period) },
    })) {
      if (item.alertId === REFUSED) refusal = parseItem(alertRefusalItem, item, this.tableName);
      else alerts.push(parseItem(sentAlertItem, item, this.tableName));
    }
    alerts.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    return { alerts, ...(refusal && { refusal }) };
  }

  async claim(alert: SentAlert): Promise<boolean> {
    const retry = Object.fromEntries(ALERT_RETRY_STATUSES.map((s, i) => [`:r${i}`, s]));
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            alertsKey: keyOf(alert.partnerId, alert.period),
            ...alert,
            expiresAt: expiresAtFrom(Date.parse(alert.updatedAt)),
          },
          ConditionExpression: `attribute_not_exists(alertId) OR #status IN (${Object.keys(retry).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: retry,
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  async update(
    partnerId: string,
    period: Period,
    alertId: string,
    patch: Parameters<AlertRepository['update']>[3],
  ): Promise<void> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { alertsKey: keyOf(partnerId, period), alertId },
        UpdateExpression: `SET ${entries.map(([k]) => `#${k} = :${k}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(alertId)',
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
      }),
    );
  }

  async refuse(refusal: AlertRefusal): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            alertsKey: keyOf(refusal.partnerId, refusal.period),
            alertId: REFUSED,
            ...refusal,
            expiresAt: expiresAtFrom(Date.parse(refusal.at)),
          },
          ConditionExpression: 'attribute_not_exists(alertId)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }
}
