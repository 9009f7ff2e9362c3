import type { CallOptions, Client } from './client.js';
import { Emitter } from './emitter.js';
import { DISCONNECTED, SquallError } from './errors.js';

export type SubscriptionState = 'unsubscribed' | 'subscribing' | 'subscribed';

export interface Position { offset: number; epoch: string }

export interface SubscribeOptions {
  /** A channel with history: track its offset and epoch, and recover what was missed after every reconnect. */
  positioned?: boolean;
  /** Start from this position (the last offset the app saw, e.g. kept in storage): implies `positioned`. */
  since?: Position;
}

export interface SubscriptionEvents {
  state: { state: SubscriptionState };
  subscribing: { code?: number; reason?: string };
  /**
   * Subscribed. `wasRecovering`: it asked to recover from its last position; `recovered`: every missed publication
   * follows (in order, once); `recovered: false` after `wasRecovering` means some are lost: refetch your state.
   */
  subscribed: { recovered: boolean; wasRecovering: boolean; offset?: number; epoch?: string };
  unsubscribed: { code: number; reason: string };
  publication: { data: any; offset?: number };
  error: SquallError;
}

/** Errors after which a subscribe is tried again later, rather than given up. */
const TRANSIENT = ['Unavailable', 'Overloaded', 'Timeout', 'Internal error'];

/** Channels are any JSON, equal structurally: a key with sorted object keys. */
export function channelKey(channel: any): string {
  return JSON.stringify(channel, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.keys(v).sort().reduce((o: any, k) => ((o[k] = v[k]), o), {}) : v);
}

/** One PubSub channel: its own states and events; restored after every reconnect, recovered when positioned. */
export class Subscription extends Emitter<SubscriptionEvents> {
  state: SubscriptionState = 'unsubscribed';
  /** The last position seen, for positioned subscriptions. */
  position: Position | null;
  private readonly positioned: boolean;
  private gen = 0;
  private retries = 0;
  private retryTimer: any = null;

  constructor(private readonly client: Client, readonly channel: any, options: SubscribeOptions = {}) {
    super();
    this.report = (e) => this.emit('error', e);
    this.positioned = !!(options.positioned || options.since);
    this.position = options.since || null;
  }

  subscribe(): void {
    if (this.state !== 'unsubscribed') return;
    this.client.adopt(this);
    this.setState('subscribing');
    this.emit('subscribing', {});
    if (this.client.state === 'connected') this.send();
  }

  /** Ends the subscription; the channel can be subscribed again through the client. */
  unsubscribe(): Promise<void> {
    if (this.state === 'unsubscribed') return Promise.resolve();
    this.stop(0, 'unsubscribe called');
    if (this.client.state !== 'connected') return Promise.resolve();
    return this.client.call(this.client.names.pubsub, 'unsubscribe', { channel: this.channel })
      .then(() => {}, (e: SquallError) => { if (e.code !== 'Not subscribed' && e.code !== DISCONNECTED) throw e; });
  }

  publish(data: any, options?: CallOptions): Promise<null> {
    return this.client.publish(this.channel, data, options);
  }

  history(q: Parameters<Client['history']>[1] = {}, options?: CallOptions) {
    return this.client.history(this.channel, q, options);
  }

  presence(options?: CallOptions) {
    return this.client.presence(this.channel, options);
  }

  private setState(state: SubscriptionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', { state });
  }

  private stop(code: number, reason: string): void {
    this.gen++;
    clearTimeout(this.retryTimer);
    this.client.dropSubscription(this);
    this.setState('unsubscribed');
    this.emit('unsubscribed', { code, reason });
  }

  private send(): void {
    const my = ++this.gen;
    const since = this.positioned && this.position;
    const params: any = { channel: this.channel };
    if (since) params.since = { offset: since.offset, epoch: since.epoch };
    else if (this.positioned) params.recoverable = true;
    this.client.request(this.client.names.pubsub, 'subscribe', params, (r) => {
      if (my !== this.gen) return;
      this.retries = 0;
      const recovered = !!(since && r && r.recovered);
      // recovered: the missed publications follow, and advance the position one by one; else start at the top
      if (this.positioned && !recovered) this.position = { offset: r.offset, epoch: r.epoch };
      this.setState('subscribed');
      this.emit('subscribed', { recovered, wasRecovering: !!since, offset: r?.offset, epoch: r?.epoch });
    }, (e: SquallError) => {
      if (my !== this.gen || e.code === DISCONNECTED) return; // restore() sends it again on the next connection
      this.emit('error', e);
      if (e.code === 'Already subscribed') return this.resend(); // a subscribe that timed out but went through
      if (TRANSIENT.includes(e.code)) {
        this.retryTimer = setTimeout(() => this.client.state === 'connected' && this.send(),
          this.client.backoff(this.retries++));
        return;
      }
      this.stop(0, e.code);
    });
  }

  /** Ends the server's side, then subscribes again from the last position. */
  private resend(): void {
    const my = ++this.gen;
    this.setState('subscribing');
    this.client.call(this.client.names.pubsub, 'unsubscribe', { channel: this.channel })
      .catch(() => {}).then(() => my === this.gen && this.client.state === 'connected' && this.send());
  }

  /** @internal the connection is up again */
  restore(): void {
    if (this.state !== 'unsubscribed') this.send();
  }

  /** @internal the connection is lost */
  interrupted(): void {
    if (this.state === 'unsubscribed') return;
    this.gen++;
    clearTimeout(this.retryTimer);
    if (this.state === 'subscribed') {
      this.setState('subscribing');
      this.emit('subscribing', { reason: 'connection lost' });
    }
  }

  /** @internal a PubSub notification for this channel */
  notify(m: any): void {
    if (this.state === 'unsubscribed') return;
    if (m.type === 'unsubscribed') {
      // the server ended it (2500: its stream jumped): subscribe again and recover from the last position
      this.setState('subscribing');
      this.emit('subscribing', { code: m.code, reason: m.reason });
      this.send();
      return;
    }
    // a positioned subscription takes publications once subscribed: until then recovery brings them, in order
    if (m.type !== 'message' || (this.positioned && this.state !== 'subscribed')) return;
    const p = this.position;
    if (this.positioned && typeof m.offset === 'number' && p) {
      if (m.offset <= p.offset) return; // already delivered
      if (m.offset > p.offset + 1) {
        // a hole: never deliver past it silently; recover from the last offset seen instead
        this.emit('subscribing', { reason: 'offset gap' });
        return this.resend();
      }
      p.offset = m.offset;
    }
    this.emit('publication', { data: m.message, offset: m.offset });
  }
}
