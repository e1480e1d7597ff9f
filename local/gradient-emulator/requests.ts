// The Gradient emulator's request checks: each API body (or path value) becomes the state's typed input, or
// the list of problems Gradient answers 400 with, in class-validator's wording and order.
import {
  GRADIENT_CATEGORIES,
  GRADIENT_INTEGRATION_STATUSES,
  GRADIENT_SUBCATEGORIES,
} from '../../lambdas/adapters/gradient-enums';
import type { AccountInput, AccountPatch, AlertInput, CountInput, IntegrationStatus, ServiceInput } from './model';

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const passed = <T>(value: T): Checked<T> => ({ ok: true, value });
const failed = (problems: string[]): { ok: false; problems: string[] } => ({ ok: false, problems });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const oneOf = (field: string, values: readonly string[]) =>
  `${field} must be one of the following values: ${values.join(', ')}`;

export function checkService(body: unknown): Checked<ServiceInput> {
  if (!isRecord(body)) return failed(['name must be a string', 'description must be a string']);
  const problems: string[] = [];
  for (const field of ['name', 'description'] as const) {
    const v = body[field];
    if (typeof v !== 'string') problems.push(`${field} must be a string`);
    else if (v.trim() === '') problems.push(`${field} should not be empty`);
  }
  if (!(GRADIENT_CATEGORIES as readonly unknown[]).includes(body.category)) {
    problems.push(oneOf('category', GRADIENT_CATEGORIES));
  }
  if (!(GRADIENT_SUBCATEGORIES as readonly unknown[]).includes(body.subcategory)) {
    problems.push(oneOf('subcategory', GRADIENT_SUBCATEGORIES));
  }
  for (const field of ['supportArticle', 'supportContact'] as const) {
    if (body[field] !== undefined && typeof body[field] !== 'string') problems.push(`${field} must be a string`);
  }
  if (problems.length > 0) return failed(problems);
  return passed({
    name: body.name as string,
    description: body.description as string,
    category: body.category as string,
    subcategory: body.subcategory as string,
    ...(typeof body.supportArticle === 'string' && { supportArticle: body.supportArticle }),
    ...(typeof body.supportContact === 'string' && { supportContact: body.supportContact }),
  });
}

export function checkStatus(status: string): Checked<IntegrationStatus> {
  return (GRADIENT_INTEGRATION_STATUSES as readonly string[]).includes(status)
    ? passed(status as IntegrationStatus)
    : failed([oneOf('status', GRADIENT_INTEGRATION_STATUSES)]);
}

/** `accountIds` (repeated, `[]`-suffixed or comma-separated) and `returnUnmapped` (default true). */
export function accountFilter(query: URLSearchParams): { ids: string[]; mappedOnly: boolean } {
  const ids = [...query.getAll('accountIds'), ...query.getAll('accountIds[]')].flatMap((v) => v.split(','));
  return { ids, mappedOnly: query.get('returnUnmapped') === 'false' };
}

/** One account object or an array of them; a problem in any item refuses them all. */
export function checkAccounts(body: unknown): Checked<AccountInput[]> {
  const items = Array.isArray(body) ? body : [body];
  const problems: string[] = [];
  items.forEach((item, i) => {
    const prefix = Array.isArray(body) ? `${i}.` : '';
    if (!isRecord(item)) {
      problems.push(`${prefix}id must be a string`, `${prefix}name must be a string`);
      return;
    }
    for (const field of ['id', 'name'] as const) {
      if (typeof item[field] !== 'string') problems.push(`${prefix}${field} must be a string`);
      else if (item[field] === '') problems.push(`${prefix}${field} should not be empty`);
    }
    if (item.description !== undefined && item.description !== null && typeof item.description !== 'string') {
      problems.push(`${prefix}description must be a string`);
    }
  });
  if (problems.length > 0) return failed(problems);
  return passed(
    (items as Array<Record<string, unknown>>).map((item) => ({
      id: item.id as string,
      name: item.name as string,
      ...(typeof item.description === 'string' && { description: item.description }),
    })),
  );
}

export function checkAccountPatch(body: unknown): Checked<AccountPatch> {
  if (!isRecord(body)) return failed(['body must be an object']);
  const fields = ['id', 'name', 'description'] as const;
  const problems = fields
    .filter((f) => body[f] !== undefined && typeof body[f] !== 'string')
    .map((f) => `${f} must be a string`);
  if (problems.length > 0) return failed(problems);
  return passed(
    Object.fromEntries(fields.filter((f) => body[f] !== undefined).map((f) => [f, body[f]])) as AccountPatch,
  );
}

/** The account is `accountId`, or `clientOId` when accountId is absent or empty. */
export function checkCount(body: unknown, noBuild: boolean): Checked<CountInput> {
  const b = isRecord(body) ? body : {};
  const problems: string[] = [];
  if (typeof b.unitCount !== 'number' || !Number.isFinite(b.unitCount)) {
    problems.push('unitCount must be a number conforming to the specified constraints');
  }
  const hasClient = typeof b.clientOId === 'string' && b.clientOId !== '';
  if (b.accountId !== undefined && typeof b.accountId !== 'string') problems.push('accountId must be a string');
  else if ((b.accountId === undefined || b.accountId === '') && !hasClient) problems.push('accountId must be a string');
  if (problems.length > 0) return failed(problems);
  const accountId = (typeof b.accountId === 'string' && b.accountId !== '' ? b.accountId : b.clientOId) as string;
  return passed({ accountId, unitCount: b.unitCount as number, noBuild });
}

/** A whole number in [min, max], or the default when absent. */
function boundedInt(value: unknown, min: number, max: number, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

/** CreateAlertingDto: title, description and alertId strings; priority 1–4 and status 1–6, both default 1. */
export function checkAlert(body: unknown): Checked<AlertInput> {
  const b = isRecord(body) ? body : {};
  const problems: string[] = [];
  for (const field of ['title', 'description', 'alertId'] as const) {
    const v = b[field];
    if (typeof v !== 'string') problems.push(`${field} must be a string`);
    else if (v.trim() === '') problems.push(`${field} should not be empty`);
  }
  const priority = boundedInt(b.priority, 1, 4, 1);
  if (priority === undefined) problems.push('priority must not be greater than 4', 'priority must not be less than 1');
  const status = boundedInt(b.status, 1, 6, 1);
  if (status === undefined) problems.push('status must not be greater than 6', 'status must not be less than 1');
  if (b.serviceId !== undefined && typeof b.serviceId !== 'string') problems.push('serviceId must be a string');
  if (problems.length > 0 || priority === undefined || status === undefined) return failed(problems);
  return passed({
    title: b.title as string,
    description: b.description as string,
    alertId: b.alertId as string,
    priority,
    status,
    ...(typeof b.serviceId === 'string' && { serviceId: b.serviceId }),
  });
}
