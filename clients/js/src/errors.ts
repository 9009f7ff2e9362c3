/**
 * Every rejection and every `error` event carries a SquallError: an `Error` whose `code` is the protocol's error
 * name (`Not authorized`, `Invalid params`, ...) or one of the client's own below, so apps can branch on it.
 */
export class SquallError extends Error {
  /** The protocol's error name, or one of `Timeout`, `Disconnected`, `Handler failed`, `Token failed`. */
  readonly code: string;
  /** What caused it: a handler's exception, a transport error. */
  readonly cause?: unknown;

  constructor(code: string, message?: string, cause?: unknown) {
    super(message || code);
    this.name = 'SquallError';
    this.code = code;
    this.cause = cause;
  }
}

/** The client's own codes, besides the protocol's error names. */
export const TIMEOUT = 'Timeout';
export const DISCONNECTED = 'Disconnected';
export const HANDLER_FAILED = 'Handler failed';
export const TOKEN_FAILED = 'Token failed';
