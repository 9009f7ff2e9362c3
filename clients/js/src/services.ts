import type { CallOptions, Client } from './client.js';
import { Emitter } from './emitter.js';
import { SquallError } from './errors.js';
import { channelKey } from './subscription.js';

/** A service whose state on the server the client rebuilds after each reconnect. */
export interface Restorable {
  readonly service: string;
  notify(m: any): void;
  restore(): void;
  interrupted(): void;
}

abstract class Service<E extends { error: SquallError }> extends Emitter<E> {
  constructor(protected readonly client: Client, readonly service: string) {
    super();
    this.report = (e) => this.emit('error', e as any);
    client.restorables.push(this);
  }

  protected call<T = any>(command: string, params: object, options?: CallOptions): Promise<T> {
    return this.client.call<T>(this.service, command, params, options);
  }

  /** @internal */
  notify(m: any): void {
    this.emit(m.type, m);
  }

  /** @internal */
  restore(): void {}

  /** @internal */
  interrupted(): void {}

  /** Runs a restoring call; a failure is reported as an `error` event and `onFail` forgets the entry. */
  protected again<T>(p: Promise<T>, onFail: () => void, then: (v: T) => void): void {
    p.then(then, (e: SquallError) => {
      if (e.code === 'Disconnected') return; // the next connection tries again
      onFail();
      this.emit('error', e as any);
    });
  }
}

export interface ChatMessage { type: 'message'; from: any; channel: any; body: any; timestamp: string }
export interface ChatPresence { type: 'presence'; from: any; channel: any; status: 'joined' | 'left'; timestamp: string }
export interface ChatRead { type: 'read'; channel: any; timestamp: string }
export interface ChatEvents {
  message: ChatMessage;
  presence: ChatPresence;
  read: ChatRead;
  /** A channel joined again after a reconnect, with its members now (presence changes meanwhile were missed). */
  rejoined: { channel: any; members: any[] };
  error: SquallError;
}

/** Chat rooms (authenticated connections): joined rooms are joined again after every reconnect. */
export class Chat extends Service<ChatEvents> {
  private rooms = new Map<string, any>();

  constructor(client: Client) {
    super(client, client.names.chat);
  }

  async join(channel: any, options?: CallOptions): Promise<{ members: any[] }> {
    const r = await this.call('join', { channel }, options);
    this.rooms.set(channelKey(channel), channel);
    return r;
  }

  async leave(channel: any, options?: CallOptions): Promise<null> {
    this.rooms.delete(channelKey(channel));
    return this.call('leave', { channel }, options);
  }

  send(channel: any, body: any, options?: CallOptions): Promise<null> {
    return this.call('send', { channel, body }, options);
  }

  read(channel: any, options?: CallOptions): Promise<null> {
    return this.call('read', { channel }, options);
  }

  override restore(): void {
    for (const [key, channel] of this.rooms) {
      this.again(this.call<{ members: any[] }>('join', { channel }), () => this.rooms.delete(key),
        (r) => this.emit('rejoined', { channel, members: r.members }));
    }
  }
}

export interface MessagingEvents {
  message: { type: 'message'; sender: string; dest: string; body: any };
  error: SquallError;
}

/** Person-to-person messages; registered names are registered again after every reconnect. */
export class Messaging extends Service<MessagingEvents> {
  private names = new Set<string>();

  constructor(client: Client) {
    super(client, client.names.messaging);
  }

  async register(name: string, options?: CallOptions): Promise<null> {
    const r = await this.call('registerParticipant', { name }, options);
    this.names.add(name);
    return r;
  }

  async unregister(name: string, options?: CallOptions): Promise<null> {
    this.names.delete(name);
    return this.call('unregisterParticipant', { name }, options);
  }

  list(options?: CallOptions): Promise<string[]> {
    return this.call('listParticipants', {}, options);
  }

  send(sender: string, dest: string, body: any, options?: CallOptions): Promise<null> {
    return this.call('send', { sender, dest, body }, options);
  }

  override restore(): void {
    for (const name of this.names) this.again(this.call('registerParticipant', { name }), () => this.names.delete(name), () => {});
  }
}

export interface Cursor { publicHandle: number; document: any; position?: any; status?: any; owner?: any }
export interface CursorsEvents {
  cursorAdded: { type: 'cursorAdded'; cursor: Cursor };
  cursorUpdated: { type: 'cursorUpdated'; cursor: Cursor };
  cursorRemoved: { type: 'cursorRemoved'; cursor: Cursor };
  /** A document joined again after a reconnect: its cursors now (own ones are created again, with new handles). */
  rejoined: { document: any; cursors: Cursor[] };
  error: SquallError;
}

interface Own { document: any; position: any; status: any }

/** Shared-document cursors; joined documents and own cursors come back after every reconnect. */
export class Cursors extends Service<CursorsEvents> {
  private docs = new Map<string, any>();
  private own = new Map<string, [any, Own]>();

  constructor(client: Client) {
    super(client, client.names.cursors);
  }

  async join(document: any, options?: CallOptions): Promise<{ cursors: Cursor[] }> {
    const r = await this.call('join', { document }, options);
    this.docs.set(channelKey(document), document);
    return r;
  }

  async leave(document: any, options?: CallOptions): Promise<null> {
    const key = channelKey(document);
    this.docs.delete(key);
    for (const [h, [, c]] of this.own) if (channelKey(c.document) === key) this.own.delete(h);
    return this.call('leave', { document }, options);
  }

  /** Creates a cursor; resolves with its public handle. */
  async create(privateHandle: any, document: any, position: any, status: any, options?: CallOptions): Promise<number> {
    const r = await this.call('createCursor', { privateHandle, document, position, status }, options);
    this.own.set(channelKey(privateHandle), [privateHandle, { document, position, status }]);
    return r;
  }

  async update(privateHandle: any, newData: { position?: any; status?: any }, options?: CallOptions): Promise<null> {
    const r = await this.call('updateCursor', { privateHandle, newData }, options);
    const c = this.own.get(channelKey(privateHandle));
    if (c) Object.assign(c[1], newData);
    return r;
  }

  async remove(privateHandle: any, options?: CallOptions): Promise<null> {
    this.own.delete(channelKey(privateHandle));
    return this.call('removeCursor', { privateHandle }, options);
  }

  override restore(): void {
    for (const [key, document] of this.docs) {
      this.again(this.call<{ cursors: Cursor[] }>('join', { document }), () => this.docs.delete(key), (r) => {
        for (const [h, [privateHandle, c]] of this.own) {
          if (channelKey(c.document) !== key) continue;
          this.again(this.call('createCursor', { privateHandle, ...c }), () => this.own.delete(h), () => {});
        }
        this.emit('rejoined', { document, cursors: r.cursors });
      });
    }
  }
}

export interface Delta { type: 'insert' | 'update' | 'delete'; model: string; data?: any; newData?: any; oldData?: any }
export interface DataSyncEvents {
  delta: Delta;
  /** The connection closed, or the server ended these subscriptions (2500): fetch the data and a token again. */
  lost: { tokens: string[] };
  error: SquallError;
}

/** DataSync: acquire a token the web app got from `authorizeSubscription`, and apply deltas to collections. */
export class DataSync extends Service<DataSyncEvents> {
  private tokens = new Set<string>();

  constructor(client: Client) {
    super(client, client.names.datasync);
  }

  async acquire(token: string, options?: CallOptions): Promise<null> {
    const r = await this.call('acquireSubscription', { token }, options);
    this.tokens.add(token);
    return r;
  }

  async cancel(token: string, options?: CallOptions): Promise<null> {
    this.tokens.delete(token);
    return this.call('cancelSubscription', { token }, options);
  }

  /** A local copy of `model`'s rows, kept up to date by the deltas; `key` names the field that identifies a row. */
  collection<T = any>(model: string, rows: T[] = [], key: string | ((row: T) => any) = 'id'): Collection<T> {
    const c = new Collection<T>(model, rows, key);
    c.report = this.report;
    this.on('delta', (d) => c.apply(d));
    return c;
  }

  override notify(m: any): void {
    if (m.type === 'delta') this.emit('delta', m.delta);
    else if (m.type === 'unsubscribed' && this.tokens.delete(m.token)) {
      // a node that may have missed deltas (Redis restarted) dropped the subscription: the data must be fetched again
      this.emit('lost', { tokens: [m.token] });
    }
  }

  override interrupted(): void {
    // closing the connection cancels its subscriptions on the server; a token cannot be acquired twice
    if (!this.tokens.size) return;
    const tokens = [...this.tokens];
    this.tokens.clear();
    this.emit('lost', { tokens });
  }
}

/** Rows of one model by key; `change` after each delta applied. */
export class Collection<T = any> extends Emitter<{ change: Delta }> {
  readonly rows = new Map<any, T>();
  private readonly keyOf: (row: T) => any;

  constructor(readonly model: string, rows: T[], key: string | ((row: T) => any)) {
    super();
    this.keyOf = typeof key === 'function' ? key : (row: any) => row[key];
    for (const r of rows) this.rows.set(this.keyOf(r), r);
  }

  apply(d: Delta): void {
    if (d.model !== this.model) return;
    if (d.type === 'insert') this.rows.set(this.keyOf(d.data), d.data);
    else if (d.type === 'delete') this.rows.delete(this.keyOf(d.data));
    else {
      this.rows.delete(this.keyOf(d.oldData));
      this.rows.set(this.keyOf(d.newData), d.newData);
    }
    this.emit('change', d);
  }
}
