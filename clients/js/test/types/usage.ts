// Compiled (not run) by the build against the emitted .d.ts: the public types as an app uses them.
import { Client, SquallError, type Delta, type State, type Subscription } from '../../dist/index.js';

const client = new Client('ws://localhost:8080/ws', { getToken: async () => 'jwt', timeout: 1000, minDelay: 100 });
const state: State = client.state;
client.on('disconnected', (e) => console.log(e.code.toFixed(0), e.reason.toUpperCase(), state));
client.on('error', (e: SquallError) => console.log(e.code));
const sub: Subscription = client.subscribe({ room: 1 }, { positioned: true });
sub.on('subscribed', (e) => { const r: boolean = e.recovered && e.wasRecovering; console.log(r); });
sub.on('publication', (p) => console.log(p.data, p.offset));
const stats: Promise<{ clients: number; users: number }> = client.presenceStats('room:1');
const members: Promise<{ members: unknown[] }> = client.chat.join('#cats');
const handle: Promise<number> = client.cursors.create('mine', 'Sheet1', 1, 'focused', { timeout: 100 });
const tasks = client.datasync.collection<{ id: number; title: string }>('Task', [{ id: 1, title: 'a' }]);
tasks.on('change', (d: Delta) => console.log(d.type, tasks.rows.get(1)?.title));
client.publish('news', { any: 'json' }).catch((e: SquallError) => e.code === 'Not authorized');
void [stats, members, handle];
// @ts-expect-error: the internals stay out of the types
client.request('pubsub', 'x', {}, () => {}, () => {});
