// Paging cursors of the list routes (run history, the fleet): opaque to callers, base64url of a small JSON object
// naming the list it belongs to and the position after which the next page starts. A cursor that does not decode
// to that list's position is refused (HTTP 400), never guessed at.
import { ValidationError } from './errors';

export type CursorList = 'runs' | 'partners';

const MAX_CURSOR_CHARS = 1000;

// base64url by the web-standard globals, so the module also builds for the console (no Node Buffer there).
const toBase64Url = (text: string): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromBase64Url = (text: string): string =>
  new TextDecoder('utf-8', { fatal: true }).decode(
    Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
  );

export function encodeCursor(list: CursorList, position: Record<string, string>): string {
  return toBase64Url(JSON.stringify({ list, ...position }));
}

const invalid = () =>
  new ValidationError('invalid cursor', [{ path: 'cursor', message: 'is not a cursor this list answered' }]);

/** The position a cursor of `list` holds: every one of `fields`, each a non-empty string; anything else throws. */
export function decodeCursor<F extends string>(
  list: CursorList,
  cursor: string,
  fields: readonly F[],
): Record<F, string> {
  if (cursor.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromBase64Url(cursor));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const record = parsed as Record<string, unknown>;
  if (record.list !== list || Object.keys(record).length !== fields.length + 1) throw invalid();
  const position = {} as Record<F, string>;
  for (const f of fields) {
    const value = record[f];
    if (typeof value !== 'string' || value.length === 0) throw invalid();
    position[f] = value;
  }
  return position;
}
