import { HANDLER_FAILED, SquallError } from './errors.js';

type Handler = (arg: any) => void;

/**
 * A small event emitter whose handlers are isolated: one that throws is reported through `report` and never
 * stops the client or the other handlers.
 */
export class Emitter<E> {
  private handlers: { [K in keyof E]?: Handler[] } = {};

  /** @internal where a throwing handler is reported; the client routes it to its `error` event */
  report: (e: SquallError) => void = () => {};

  /** Adds a handler; returns a function that removes it. */
  on<K extends keyof E>(event: K, handler: (arg: E[K]) => void): () => void {
    (this.handlers[event] ||= []).push(handler);
    return () => this.off(event, handler);
  }

  off<K extends keyof E>(event: K, handler: (arg: E[K]) => void): void {
    const list = this.handlers[event];
    if (list) this.handlers[event] = list.filter((h) => h !== handler);
  }

  /** @internal */
  emit<K extends keyof E>(event: K, arg: E[K]): void {
    for (const h of this.handlers[event] || []) {
      try {
        h(arg);
      } catch (e) {
        if (event === 'error') continue; // an error handler that throws has nowhere left to report to
        this.report(new SquallError(HANDLER_FAILED, `a '${String(event)}' handler threw: ${e}`, e));
      }
    }
  }
}
