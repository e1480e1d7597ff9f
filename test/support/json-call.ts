// One JSON request to a server the test started (the API over the local stack): the status and the parsed body.
export interface JsonAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers of many shapes
  body: any;
}

/** A `call(method, path, body?)` against the server at `baseUrl()` (read per call: the server starts in beforeAll). */
export const jsonCaller =
  (baseUrl: () => string, timeoutMs = 10_000) =>
  async (method: string, path: string, body?: unknown): Promise<JsonAnswer> => {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
