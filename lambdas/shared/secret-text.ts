// Key text inside free text (an error message, a request body logged as a string), masked for log lines. Two
// rules, because no key shape is documented: the values this process actually handles (every key read from or
// written to Secrets Manager, every key a Gradient client is built with, and its GRADIENT-TOKEN), and whatever
// follows a secret-looking label (`"partnerApiKey":"…"`, `x-api-key: …`, `Bearer …`), whatever its shape.

const REDACTED = '[redacted]';
/** Shorter values are not keys (and masking them would garble ordinary text). */
const MIN_SECRET_CHARS = 8;
/** A warm worker sees many partners; the oldest values are forgotten first. */
const MAX_REMEMBERED = 1_000;

const remembered = new Set<string>();

/** A key value this process holds: masked in every log line from now on. Never stored anywhere else. */
export function rememberSecret(value: string | undefined): void {
  if (value === undefined || value.length < MIN_SECRET_CHARS || remembered.has(value)) return;
  remembered.add(value);
  if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.values().next().value as string);
}

/** A label of secret text in free text, its separator, and the value after it (quoted or bare). */
const LABELLED =
  /((?:api[-_]?key|partner[-_]?key|vendor[-_]?key|gradient[-_]?token|token|secret|password|authorization)["']?\s*[:=]\s*["']?)(?:(?:bearer|basic)\s+)?[^\s"',;&}]+/gi;
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

/** `text` with every remembered key value and every labelled secret replaced by `[redacted]`. */
export function maskSecretText(text: string): string {
  let out = text;
  for (const secret of remembered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out.replace(LABELLED, `$1${REDACTED}`).replace(BEARER, `$1 ${REDACTED}`);
}

/** Tests: forget every remembered value. */
export function forgetSecrets(): void {
  remembered.clear();
}
