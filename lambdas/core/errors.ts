// Typed errors, so callers decide by class instead of parsing messages. None of them ever carries a key.

/** Base of every failure talking to Gradient. `retryable` says whether the same call may succeed later. */
export abstract class GradientError extends Error {
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 401/403: Gradient refused the vendor or partner key (or flagged the usage as an anomaly). */
export class GradientKeyRejectedError extends GradientError {
  readonly retryable = false;
}

/** 404 on a count: the account or the service is not mapped in Synthesize yet. Normal, not a failure. */
export class GradientNotMappedError extends GradientError {
  readonly retryable = false;
}

/** 404 elsewhere (e.g. "Vendor Profile Not Found"). */
export class GradientNotFoundError extends GradientError {
  readonly retryable = false;
}

/** 429: over Gradient's rate limit. `retryAfterMs` comes from Retry-After when Gradient sends it. */
export class GradientRateLimitedError extends GradientError {
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message, 429);
  }
}

/** 5xx. */
export class GradientServerError extends GradientError {
  readonly retryable = true;
}

/** 400/409/422: Gradient rejected the request itself; sending it again will not help. */
export class GradientBadRequestError extends GradientError {
  readonly retryable = false;
}

/** No answer within the call's timeout. */
export class GradientTimeoutError extends GradientError {
  readonly retryable = true;
}

/** The connection failed (refused, reset, DNS). */
export class GradientUnreachableError extends GradientError {
  readonly retryable = true;
}

/** Gradient answered 2xx with a body we cannot read (malformed JSON, unexpected shape). */
export class GradientProtocolError extends GradientError {
  readonly retryable = true;
}

/** A delivery's deadline came before a Gradient call could start: nothing was sent, the line stays open. */
export class DeadlineReachedError extends Error {
  constructor() {
    super('the delivery reached its deadline before the call could start');
    this.name = 'DeadlineReachedError';
  }
}

/** A request the caller must fix (bad input); handlers map it to 400. */
export class ValidationError extends Error {
  constructor(
    message: string,
    readonly issues: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** The state does not allow the request (e.g. resync of a partner that is not connected). */
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly code = 'conflict',
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * The run could not finish inside this invocation (time ran out, or retries were exhausted on
 * retryable errors). Its progress is saved; the message must be redelivered to resume it.
 */
export class RunIncompleteError extends Error {
  constructor(
    message: string,
    readonly runId: string,
  ) {
    super(message);
    this.name = 'RunIncompleteError';
  }
}

/** Another delivery of the same run holds its lease right now; try again after the lease expires. */
export class RunBusyError extends Error {
  constructor(readonly runId: string) {
    super(`run ${runId} is being processed by another delivery`);
    this.name = 'RunBusyError';
  }
}

/** Another run of the same partner holds the partner's lease: this run waits (its message comes back later). */
export class PartnerBusyError extends Error {
  constructor(
    readonly partnerId: string,
    readonly heldBy: string,
  ) {
    super(`partner ${partnerId} is being synced by run ${heldBy}`);
    this.name = 'PartnerBusyError';
  }
}

/** An error's message alone, for a list of failures that already names what failed (errors here never carry a key). */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
