// One Powertools logger and one metrics buffer per process, and the core ports built on them. Every log line
// the logger writes passes `redactSecretFields`, so no call, through the port or direct, can log a key: not as
// the value of a secret-looking field, nor as text inside a string (`secret-text.ts`).
import { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { MetricsOptions } from '@aws-lambda-powertools/metrics/types';
import type { Log, MetricName, Metrics } from '../core/ports';
import { METRICS_NAMESPACE, SERVICE_NAME } from './names';
import { maskSecretText } from './secret-text';

/** Field names (`x-api-key`, `partnerKey`, …) whose values never reach a log line, whatever a caller passes. */
const SECRET_FIELD =
  /(api[-_]?key|partner[-_]?key|vendor[-_]?key|token|secret|password|passphrase|authorization|credential|cookie)/i;
const REDACTED = '[redacted]';
/** Objects nested deeper than this are cut off (`[truncated]`), never logged raw. */
export const REDACT_MAX_DEPTH = 6;
const TRUNCATED = '[truncated]';

/**
 * The logger's JSON replacer: `JSON.stringify` calls it for every key at every depth of a log line, so the value
 * of a secret-looking field is replaced wherever it sits, and key text inside any string is masked.
 */
export function redactSecretFields(key: string, value: unknown): unknown {
  if (SECRET_FIELD.test(key)) return REDACTED;
  return typeof value === 'string' ? maskSecretText(value) : value;
}

/** A Powertools logger whose every line is redacted (a `jsonReplacerFn` in `options` is replaced). */
export function createLogger(options: ConstructorOptions = {}): Logger {
  return new Logger({ ...options, jsonReplacerFn: redactSecretFields });
}

export const logger = createLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME });

/**
 * Where the metrics utility's own messages go: our logger, its warnings at debug level. Its one warning in this
 * service is "No application metrics to publish", after every invocation that recorded none (a planner tick
 * with nothing due, a read that called no one): normal here, and left on stdout it drowned the progress of the
 * bench and `npm start`. `POWERTOOLS_LOG_LEVEL=DEBUG` shows it again; EMF output is never routed through it.
 */
export function metricsUtilityLogger(target: Logger = logger): NonNullable<MetricsOptions['logger']> {
  const text = (content: unknown[]) => content.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join(' ');
  return {
    debug: (...content: unknown[]) => target.debug(text(content)),
    info: (...content: unknown[]) => target.debug(text(content)),
    warn: (...content: unknown[]) => target.debug(text(content)),
    error: (...content: unknown[]) => target.error(text(content)),
  };
}

export const powertoolsMetrics = new PowertoolsMetrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
  logger: metricsUtilityLogger(),
});

/**
 * Replaces values of secret-looking fields and key text in strings, at any depth, errors by their (masked) name
 * and message, and whatever is nested past `REDACT_MAX_DEPTH`, before the port hands fields to a logger (which
 * may be one built without `createLogger`).
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSecretText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > REDACT_MAX_DEPTH) return TRUNCATED;
  if (value instanceof Error) return { name: value.name, message: maskSecretText(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) ? REDACTED : redact(v, depth + 1);
  return out;
}

/** The core `Log` port on a Powertools logger. */
export function logPort(target: Logger = logger): Log {
  const fields = (f?: Record<string, unknown>) => (f ? (redact(f) as Record<string, unknown>) : {});
  return {
    debug: (m, f) => target.debug(m, fields(f)),
    info: (m, f) => target.info(m, fields(f)),
    warn: (m, f) => target.warn(m, fields(f)),
    error: (m, f) => target.error(m, fields(f)),
  };
}

/** The core `Metrics` port on the Powertools EMF buffer (published by the handlers' middleware). */
export function metricsPort(target: PowertoolsMetrics = powertoolsMetrics): Metrics {
  return {
    add: (name: MetricName, value: number, unit: 'Count' | 'Milliseconds' = 'Count') =>
      target.addMetric(name, unit === 'Count' ? MetricUnit.Count : MetricUnit.Milliseconds, value),
  };
}
