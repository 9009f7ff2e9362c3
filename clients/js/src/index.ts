export { Client } from './client.js';
export type { State, Options, ClientEvents, CallOptions, SocketLike, SocketFactory } from './client.js';
export { Subscription } from './subscription.js';
export type { SubscriptionState, SubscriptionEvents, SubscribeOptions, Position } from './subscription.js';
export { Chat, Messaging, Cursors, DataSync, Collection } from './services.js';
export type { ChatEvents, MessagingEvents, CursorsEvents, DataSyncEvents, Cursor, Delta } from './services.js';
export { SquallError, TIMEOUT, DISCONNECTED, HANDLER_FAILED, TOKEN_FAILED } from './errors.js';
