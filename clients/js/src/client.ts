import { Emitter } from './emitter.js';
import { DISCONNECTED, SquallError, TIMEOUT, TOKEN_FAILED } from './errors.js';
import { Subscription, SubscribeOptions, channelKey } from './subscription.js';
import { Chat, Cursors, DataSync, Messaging, Restorable } from './services.js';

export type State = 'disconnected' | 'connecting' | 'connected';

/** The part of the WebSocket API the client uses: the browser's, Node 22's global one, or the `ws` package's. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: { data: any }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type SocketFactory = new (url: string) => SocketLike;

export interface Options {
  /** The WebSocket class; the global one when left out (browsers, Node >= 22). In older Node pass `ws`. */
  WebSocket?: SocketFactory;
  /** Called before every (re)connect; its token goes in `?token=`. Return null to connect anonymously. */
  getToken?: () => string | null | Promise<string | null>;
  /** Default call timeout, ms (5000). */
  timeout?: number;
  /** Backoff bounds, ms: the n-th retry waits a random time in [0, min(maxDelay, minDelay * 2^n)]. */
  minDelay?: number;
  maxDelay?: number;
  /** Silence (ms) after which the client probes the connection with a `ping`; unanswered, it reconnects. */
  idleTimeout?: number;
  /** Service names, when the broker renames them. */
  services?: Partial<Record<'pubsub' | 'chat' | 'messaging' | 'cursors' | 'datasync', string>>;
  /** The random source for the backoff's jitter (tests). */
  random?: () => number;
}

export interface ClientEvents {
  state: { state: State; code?: number; reason?: string };
  connecting: { code?: number; reason?: string };
  connected: {};
  disconnected: { code: number; reason: string };
  error: SquallError;
}

export interface CallOptions { timeout?: number }

/**
 * Close codes after which reconnecting cannot help: the server found the client broken (1002, 1007, 1009) or a
 * backend disconnected the user (4003). Handshake refusals 401/403 end the same way (see `refused`).
 */
const TERMINAL = [1002, 1003, 1007, 1009, 4003];

interface Pending { resolve(v: any): void; reject(e: SquallError): void; timer: any; frame: string; sent: boolean }

/** A connection to a Squall broker that survives real networks. */
export class Client extends Emitter<ClientEvents> {
  state: State = 'disconnected';
  readonly chat: Chat;
  readonly messaging: Messaging;
  readonly cursors: Cursors;
  readonly datasync: DataSync;
  /** @internal */ readonly names: Required<NonNullable<Options['services']>>;
  /** @internal */ readonly restorables: Restorable[] = [];
  private readonly opts: Required<Omit<Options, 'getToken' | 'services' | 'WebSocket'>> & Options;
  private socket: SocketLike | null = null;
  private pending = new Map<number, Pending>();
  private subs = new Map<string, Subscription>();
  private nextId = 1;
  private attempt = 0;
  private retryTimer: any = null;
  private idleTimer: any = null;
  private epochOfSocket = 0;
  private tokenRetried = false;

  constructor(readonly url: string, options: Options = {}) {
    super();
    this.report = (e) => this.emit('error', e);
    this.opts = { timeout: 5000, minDelay: 500, maxDelay: 20000, idleTimeout: 30000, random: Math.random, ...options };
    this.names = { pubsub: 'pubsub', chat: 'chat', messaging: 'messaging', cursors: 'cursors', datasync: 'datasync',
      ...options.services };
    this.chat = new Chat(this);
    this.messaging = new Messaging(this);
    this.cursors = new Cursors(this);
    this.datasync = new DataSync(this);
    const g = globalThis as any;
    if (g.addEventListener) {
      // a network change: probe at once rather than wait for a timeout, and retry at once when back online
      g.addEventListener('online', () => (this.state === 'connecting' && this.retryTimer ? this.retryNow() : this.probe()));
      g.addEventListener('offline', () => this.probe());
    }
  }

  /** Connects, then keeps reconnecting until `disconnect()` or a refusal that retrying cannot fix. */
  connect(): void {
    if (this.state !== 'disconnected') return;
    this.attempt = 0;
    this.setState('connecting');
    this.open();
  }

  /** Closes the connection for good: pending calls are rejected, subscriptions stay and return on `connect()`. */
  disconnect(): void {
    this.stop(1000, 'disconnect called');
  }

  /** The n-th retry's delay: full jitter, in [0, min(maxDelay, minDelay * 2^n)]. */
  backoff(n: number): number {
    return Math.floor(this.opts.random() * Math.min(this.opts.maxDelay, this.opts.minDelay * 2 ** n));
  }

  /** Sends an RPC; resolves with its `data`, rejects with a SquallError. Queued while connecting. */
  call<T = any>(service: string, command: string, params: object = {}, options: CallOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => this.request(service, command, params, resolve, reject, options.timeout));
  }

  /**
   * @internal The call with callbacks run as the reply is read, before the next frame: a subscription must be in
   * its new state before the publications that follow its reply (`ws` emits a whole read's frames in one go).
   */
  request(service: string, command: string, params: object, resolve: (v: any) => void,
    reject: (e: SquallError) => void, timeout = this.opts.timeout): void {
    if (this.state === 'disconnected') return reject(new SquallError(DISCONNECTED, 'not connected'));
    const id = this.nextId++;
    const p: Pending = {
      resolve, reject, sent: false,
      frame: JSON.stringify({ service, message: { command, params, callId: id } }),
      timer: setTimeout(() => {
        this.pending.delete(id);
        reject(new SquallError(TIMEOUT, `${service} ${command}: no reply within ${timeout} ms`));
      }, timeout),
    };
    this.pending.set(id, p);
    if (this.state === 'connected') this.write(p);
  }

  /** A subscription to a PubSub channel; `subscribe()` it. Positioned ones recover what they missed. */
  newSubscription(channel: any, options: SubscribeOptions = {}): Subscription {
    if (this.subs.has(channelKey(channel))) throw new SquallError('Already subscribed', 'a subscription to this channel exists');
    return new Subscription(this, channel, options);
  }

  /** Subscribes at once: `newSubscription(channel, options)` then `subscribe()`. */
  subscribe(channel: any, options: SubscribeOptions = {}): Subscription {
    const sub = this.newSubscription(channel, options);
    sub.subscribe();
    return sub;
  }

  getSubscription(channel: any): Subscription | undefined {
    return this.subs.get(channelKey(channel));
  }

  /** @internal */
  adopt(sub: Subscription): void {
    const key = channelKey(sub.channel);
    const other = this.subs.get(key);
    if (other && other !== sub) throw new SquallError('Already subscribed', 'a subscription to this channel exists');
    this.subs.set(key, sub);
  }

  /** @internal */
  dropSubscription(sub: Subscription): void {
    this.subs.delete(channelKey(sub.channel));
  }

  publish(channel: any, message: any, options?: CallOptions): Promise<null> {
    return this.call(this.names.pubsub, 'publish', { channel, message }, options);
  }

  history(channel: any, q: { since?: { offset: number; epoch: string }; limit?: number; reverse?: boolean } = {},
    options?: CallOptions): Promise<{ offset: number; epoch: string; publications: { offset: number; message: any }[] }> {
    return this.call(this.names.pubsub, 'history', { channel, ...q }, options);
  }

  presence(channel: any, options?: CallOptions): Promise<{ clients: Record<string, { identity: any }> }> {
    return this.call(this.names.pubsub, 'presence', { channel }, options);
  }

  presenceStats(channel: any, options?: CallOptions): Promise<{ clients: number; users: number }> {
    return this.call(this.names.pubsub, 'presence_stats', { channel }, options);
  }

  // ---- the connection's life

  private setState(state: State, code?: number, reason?: string): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', { state, code, reason });
    if (state === 'connected') this.emit('connected', {});
    else if (state === 'connecting') this.emit('connecting', { code, reason });
    else this.emit('disconnected', { code: code ?? 1000, reason: reason ?? '' });
  }

  private async open(): Promise<void> {
    const my = ++this.epochOfSocket;
    let url = this.url;
    if (this.opts.getToken) {
      let token: string | null;
      try {
        token = await this.opts.getToken();
      } catch (e) {
        if (my !== this.epochOfSocket) return;
        this.emit('error', new SquallError(TOKEN_FAILED, `getToken failed: ${e}`, e));
        return this.lost(0, 'getToken failed');
      }
      if (my !== this.epochOfSocket) return;
      if (token) url += (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token);
    }
    const WS = this.opts.WebSocket || (globalThis as any).WebSocket;
    let s: SocketLike;
    try {
      s = new WS(url);
    } catch (e) {
      return this.stop(1002, `cannot open a WebSocket: ${e}`);
    }
    this.socket = s;
    let refused = 0;
    const mine = () => my === this.epochOfSocket;
    // a handshake whose packets vanish would wait for the OS's TCP timeout (minutes): give it the call timeout
    this.idleTimer = setTimeout(() => mine() && this.lost(1006, 'no handshake answer'), this.opts.timeout);
    s.onopen = () => mine() && this.opened();
    s.onmessage = (ev) => mine() && this.frame(ev.data);
    s.onerror = (ev) => {
      // the `ws` package tells why a handshake failed ("Unexpected server response: 401"); browsers never do
      const m = /response: (\d+)/.exec(String(ev?.message ?? ev?.error?.message ?? ''));
      if (m) refused = +m[1];
    };
    s.onclose = (ev) => {
      if (!mine()) return;
      if (refused === 401 || refused === 403) {
        // a refused token: a fresh one from getToken may pass, once; a refused origin never will
        if (refused === 401 && this.opts.getToken && !this.tokenRetried) {
          this.tokenRetried = true;
          return this.lost(4401, 'token refused');
        }
        return this.stop(4000 + refused, `handshake refused (HTTP ${refused})`);
      }
      if (TERMINAL.includes(ev.code)) return this.stop(ev.code, ev.reason);
      this.lost(ev.code, ev.reason);
    };
    if (typeof (s as any).on === 'function') (s as any).on('ping', () => mine() && this.heard());
  }

  private opened(): void {
    this.attempt = 0;
    this.tokenRetried = false;
    this.setState('connected');
    this.heard();
    for (const p of this.pending.values()) if (!p.sent) this.write(p);
    for (const sub of this.subs.values()) sub.restore();
    for (const r of this.restorables) r.restore();
  }

  /** The connection is gone but may come back: fail what was in flight, retry after a backoff. */
  private lost(code: number, reason: string): void {
    this.drop(code, reason);
    this.setState('connecting', code, reason);
    const delay = code === 4401 ? 0 : this.backoff(this.attempt);
    this.attempt++;
    this.retryTimer = setTimeout(() => { this.retryTimer = null; this.open(); }, delay);
  }

  private stop(code: number, reason: string): void {
    this.drop(code, reason);
    for (const p of this.pending.values()) { clearTimeout(p.timer); p.reject(new SquallError(DISCONNECTED, reason)); }
    this.pending.clear();
    this.setState('disconnected', code, reason);
  }

  private drop(code: number, reason: string): void {
    this.epochOfSocket++;
    clearTimeout(this.retryTimer);
    clearTimeout(this.idleTimer);
    this.retryTimer = this.idleTimer = null;
    const s = this.socket;
    this.socket = null;
    if (s) try { s.close(); } catch { /* already closing */ }
    // calls already sent cannot be answered on another connection: reject them at once; unsent ones wait
    for (const [id, p] of this.pending) {
      if (!p.sent) continue;
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(new SquallError(DISCONNECTED, `connection lost (${code}${reason ? ' ' + reason : ''})`));
    }
    for (const sub of this.subs.values()) sub.interrupted();
    for (const r of this.restorables) r.interrupted();
  }

  private retryNow(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    this.open();
  }

  private write(p: Pending): void {
    p.sent = true;
    try {
      this.socket!.send(p.frame);
    } catch (e) {
      this.lost(1006, `send failed: ${e}`);
    }
  }

  /** Something came from the server: the watchdog starts over. */
  private heard(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.probe(), this.opts.idleTimeout);
  }

  /** Asks the server for a `ping` reply; none within the call timeout means the connection is dead. */
  private probe(): void {
    if (this.state !== 'connected') return;
    clearTimeout(this.idleTimer);
    const my = this.epochOfSocket;
    this.call(this.names.pubsub, 'ping').catch((e: SquallError) => {
      if (e.code === TIMEOUT && my === this.epochOfSocket) this.lost(4002, 'server did not answer a ping');
    });
  }

  private frame(data: any): void {
    this.heard();
    let f: any;
    try {
      f = JSON.parse(String(data));
    } catch {
      return this.emit('error', new SquallError('Invalid JSON', 'the server sent a frame that is not JSON'));
    }
    const m = f && f.message;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'response' || m.type === 'error') {
      const p = this.pending.get(m.callId);
      if (!p) return;
      this.pending.delete(m.callId);
      clearTimeout(p.timer);
      if (m.type === 'response') p.resolve(m.data);
      else p.reject(new SquallError(String(m.message)));
      return;
    }
    if (f.service === this.names.pubsub) this.subs.get(channelKey(m.channel))?.notify(m);
    else for (const r of this.restorables) if (r.service === f.service) r.notify(m);
  }
}
