// The console's live views, on the official JavaScript client (squall.min.js: a copy of clients/js's bundle) over
// the private port's /console/ws, which the session cookie opens. Once a second the page asks the console service
// for bounded snapshots; the tail is a PubSub subscription; publish and disconnect are the backend's own calls.
import { Client } from './squall.min.js';

const REFRESH_MS = 1000;
const TAIL_MAX = 200;
const $ = (id) => document.getElementById(id);

let services = { console: 'console', pubsub: 'pubsub', publish: 'pubsub_backend', auth: 'auth_backend', snap: null };
let client;
let timer = null;
let tail = null;
let snapAll = null;
const previous = { nodes: new Map(), channels: new Map() }; // counters of the last snapshot, for rates
const snapValues = new Map(); // SNAP node -> { function: text }

function wsUrl() {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/console/ws';
}

/** A channel typed by the operator: JSON when it parses, else the text itself. */
function parseChannel(text) {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch (e) {
    return trimmed;
  }
}

function show(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function rate(map, key, count, now) {
  const before = map.get(key);
  map.set(key, { count, now });
  if (!before || now <= before.now) { return ''; }
  return ((count - before.count) * 1000 / (now - before.now)).toFixed(1);
}

/**
 * Brings a tbody's rows in line with `items`, reusing the row of each key (so a focused button keeps its focus),
 * in the items' order. `make(tr)` builds a new row's cells once; `fill(tr, item)` updates them.
 */
function syncRows(tbody, items, key, make, fill) {
  const old = new Map();
  for (const tr of tbody.rows) { old.set(tr.dataset.key, tr); }
  let at = 0;
  for (const item of items) {
    const k = key(item);
    let tr = old.get(k);
    if (tr) {
      old.delete(k);
    } else {
      tr = document.createElement('tr');
      tr.dataset.key = k;
      make(tr, item);
    }
    fill(tr, item);
    if (tbody.rows[at] !== tr) { tbody.insertBefore(tr, tbody.rows[at] || null); }
    at++;
  }
  for (const tr of old.values()) { tr.remove(); }
}

function cells(tr, n, numeric) {
  for (let i = 0; i < n; i++) {
    const td = tr.insertCell();
    if (numeric && numeric.includes(i)) { td.className = 'n'; }
  }
}

function button(text, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'secondary';
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

function setText(tr, i, text) {
  const td = tr.cells[i];
  if (td.textContent !== String(text)) { td.textContent = text; }
}

// ---- snapshots

function renderNodes(view) {
  const now = view.time;
  const self = view.node;
  $('node-id').textContent = self.id;
  const rows = [{ id: self.id, address: self.address, connections: self.connections,
    subscriptions: self.subscriptions, loopQueue: self.loopQueue,
    inRate: rate(previous.nodes, 'in', self.messagesIn, now), outRate: rate(previous.nodes, 'out', self.messagesOut, now) }];
  // the other nodes as their latest heartbeat tells (rates over their previous heartbeat interval); a node of an
  // older version does not tell its loop and rates: null
  const known = (v, text) => (v === null || v === undefined ? '—' : text(v));
  for (const other of view.nodes) {
    if (other.id !== self.id) {
      rows.push({ ...other, loopQueue: known(other.loopQueue, String),
        inRate: known(other.messagesInPerSecond, (r) => r.toFixed(1)),
        outRate: known(other.messagesOutPerSecond, (r) => r.toFixed(1)) });
    }
  }
  syncRows($('nodes'), rows, (n) => n.id, (tr) => cells(tr, 7, [2, 3, 4, 5, 6]), (tr, n) => {
    [n.id, n.address, n.connections, n.subscriptions, n.loopQueue, n.inRate, n.outRate]
      .forEach((v, i) => setText(tr, i, v));
  });
}

function renderChannels(page, now) {
  $('channel-count').textContent = `${page.channels.length} shown of ${page.matched} matching, ${page.total} with subscribers`;
  syncRows($('channels'), page.channels, (c) => JSON.stringify(c.channel), (tr, c) => {
    cells(tr, 6, [1, 2, 3]);
    tr.cells[0].appendChild(document.createElement('code'));
    tr.cells[5].appendChild(button('Tail', () => startTail(c.channel)));
    tr.cells[5].firstChild.setAttribute('aria-label', `Tail ${show(c.channel)}`);
  }, (tr, c) => {
    const code = tr.cells[0].firstChild;
    if (code.textContent !== show(c.channel)) { code.textContent = show(c.channel); }
    setText(tr, 1, c.subscribers);
    setText(tr, 2, rate(previous.channels, tr.dataset.key, c.publications, now));
    setText(tr, 3, c.publications);
    setText(tr, 4, c.offset ? `${c.offset} (${c.epoch})` : '—');
  });
}

function renderConnections(page) {
  $('connection-count').textContent = `${page.connections.length} shown of ${page.matched} matching, ${page.total} in all`;
  syncRows($('connections'), page.connections, (c) => c.client, (tr, c) => {
    cells(tr, 4, [2]);
    if (c.identity !== null) {
      tr.cells[3].appendChild(button('Disconnect', () => disconnect(c.identity)));
      tr.cells[3].firstChild.setAttribute('aria-label', `Disconnect ${show(c.identity)}`);
    }
  }, (tr, c) => {
    setText(tr, 0, c.identity === null ? '(anonymous)' : show(c.identity));
    setText(tr, 1, c.client);
    setText(tr, 2, c.subscriptions);
  });
}

function renderSnap(snap, nodes) {
  $('snap-section').hidden = !snap;
  $('snap-link-item').hidden = !snap;
  if (!snap) { return; }
  const link = $('snap-link');
  link.textContent = snap.health.link;
  link.className = 'state ' + snap.health.link;
  $('snap-role').textContent = snap.health.role ? `this node is the port's ${snap.health.role}` : '';
  if (snap.all && !snapAll) {
    snapAll = client.subscribe(snap.all);
    snapAll.on('publication', (p) => {
      const m = p.data;
      const values = snapValues.get(m.src) || {};
      values[m['function'] || '(data)'] = (m.args || []).map(show).join(', ');
      snapValues.set(m.src, values);
    });
  }
  syncRows($('snap-nodes'), nodes || [], (n) => n.node, (tr) => cells(tr, 4), (tr, n) => {
    tr.className = n.online === false ? 'offline' : '';
    const values = snapValues.get(n.node) || {};
    setText(tr, 0, n.node);
    setText(tr, 1, n.online === false ? 'no' : 'yes');
    setText(tr, 2, n.lastSeen ? new Date(n.lastSeen).toLocaleTimeString() : '—');
    setText(tr, 3, Object.keys(values).sort().map((f) => `${f}: ${values[f]}`).join(' · '));
  });
}

async function refresh() {
  const query = (id) => ({ search: $(id).value.trim(), limit: 100 });
  const [view, channels, connections] = await Promise.all([
    client.call(services.console, 'overview'),
    client.call(services.console, 'channels', query('channel-search')),
    client.call(services.console, 'connections', query('connection-search')),
  ]);
  if (view.services.pubsub !== services.pubsub) { // the broker renamed PubSub: the client must know it
    services = view.services;
    restart();
    return;
  }
  services = view.services;
  renderNodes(view);
  renderChannels(channels, view.time);
  renderConnections(connections);
  const snapNodes = view.snap ? await client.call(services.snap, 'nodes').catch(() => []) : null;
  renderSnap(view.snap, snapNodes);
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    try {
      await refresh();
    } catch (e) {
      // a call timed out or the connection dropped: the next round tries again
    }
    if (client.state === 'connected') { schedule(); }
  }, REFRESH_MS);
}

// ---- actions

function startTail(channel) {
  if (tail) { tail.unsubscribe().catch(() => {}); }
  $('tail-channel').value = show(channel);
  $('tail').replaceChildren();
  const state = $('tail-state');
  state.textContent = 'subscribing…';
  state.className = '';
  const sub = tail = client.subscribe(channel);
  sub.on('subscribed', () => { state.textContent = `tailing ${show(channel)}`; });
  sub.on('error', (e) => { state.textContent = `error: ${e.code}`; state.className = 'error'; });
  sub.on('publication', (p) => {
    const li = document.createElement('li');
    const time = document.createElement('time');
    const now = new Date();
    time.dateTime = now.toISOString();
    time.textContent = now.toLocaleTimeString();
    const code = document.createElement('code');
    code.textContent = JSON.stringify(p.data);
    li.append(time, code);
    const list = $('tail');
    list.prepend(li);
    while (list.children.length > TAIL_MAX) { list.lastChild.remove(); }
  });
  $('tail-stop').disabled = false;
}

function stopTail() {
  if (tail) { tail.unsubscribe().catch(() => {}); }
  tail = null;
  $('tail-state').textContent = 'stopped';
  $('tail-stop').disabled = true;
}

async function disconnect(identity) {
  const result = $('disconnect-result');
  result.className = '';
  try {
    const closed = await client.call(services.auth, 'disconnect', { identity });
    result.textContent = `Closed ${closed} connection(s) of ${show(identity)}.`;
  } catch (e) {
    result.textContent = `Disconnect failed: ${e.code}`;
    result.className = 'error';
  }
}

async function publish(event) {
  event.preventDefault();
  const result = $('publish-result');
  result.className = '';
  let message;
  try {
    message = JSON.parse($('publish-message').value);
  } catch (e) {
    result.textContent = 'The message must be JSON, e.g. {"text":"hi"} or "hi".';
    result.className = 'error';
    return;
  }
  try {
    const r = await client.call(services.publish, 'publish', { channel: parseChannel($('publish-channel').value), message });
    result.textContent = r && r.offset ? `Published at offset ${r.offset}.` : 'Published.';
  } catch (e) {
    result.textContent = `Publish failed: ${e.code}`;
    result.className = 'error';
  }
}

// ---- connection

function start() {
  client = new Client(wsUrl(), { services: { pubsub: services.pubsub } });
  client.on('state', async (e) => {
    const state = $('ws-state');
    state.textContent = e.state;
    state.className = 'state ' + e.state;
    if (e.state === 'connected') {
      schedule();
    } else if (e.state === 'disconnected') {
      // logged out, expired, or refused: back to the login form unless the session still holds
      const session = await fetch('/console/session', { cache: 'no-store' }).catch(() => null);
      if (session && session.status === 401) { location.replace('/console/'); }
    }
  });
  client.connect();
}

function restart() {
  clearTimeout(timer);
  tail = null;
  snapAll = null;
  client.disconnect();
  start();
}

$('tail-form').addEventListener('submit', (event) => {
  event.preventDefault();
  startTail(parseChannel($('tail-channel').value));
});
$('tail-stop').addEventListener('click', stopTail);
$('publish-form').addEventListener('submit', publish);
start();
