// One Powertools logger and one metrics buffer per process, and the core ports built on them. Every log line
// the logger writes passes `redactSecretFields`, so no call, through the port or direct, can log a key.
import { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { Log, MetricName, Metrics } from '../core/ports';
import { METRICS_NAMESPACE, SERVICE_NAME } from './names';

/** Field names that must never reach a log line, whatever a caller passes by mistake. */
const SECRET_FIELD = /(api_?key|token|secret|password|authorization)/i;
const REDACTED = '[redacted]';

/**
 * The logger's JSON replacer: `JSON.stringify` calls it for every key at every depth of a log line, so the value
 * of a secret-looking field is replaced wherever it sits.
 */
export function redactSecretFields(key: string, value: unknown): unknown {
  return SECRET_FIELD.test(key) ? REDACTED : value;
}

/** A Powertools logger whose every line is redacted (a `jsonReplacerFn` in `options` is replaced). */
export function createLogger(options: ConstructorOptions = {}): Logger {
  return new Logger({ ...options, jsonReplacerFn: redactSecretFields });
}

export const logger = createLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME });

export const powertoolsMetrics = new PowertoolsMetrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
});

/**
 * Replaces values of secret-looking fields, at any depth, and errors by their name and message, before the
 * port hands fields to a logger (which may be one built without `createLogger`).
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactSecretFields(k, redact(v, depth + 1));
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
