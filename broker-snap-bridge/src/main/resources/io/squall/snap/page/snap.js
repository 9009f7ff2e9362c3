// The live SNAP page, on the broker's JavaScript client (squall.min.js: a copy of clients/js's bundle), which
// reconnects with backoff, resubscribes, times calls out and notices a dead connection. Query parameters override
// the defaults: ?ws=/ws&pubsub=pubsub&snap=snap&all=snap/all&nodes=snap/nodes&link=snap/link
import { Client } from './squall.min.js';

var q = new URLSearchParams(location.search);
var cfg = {
  ws: q.get('ws') || '/ws',
  pubsub: q.get('pubsub') || 'pubsub',
  snap: q.get('snap') || 'snap',
  all: q.get('all') || 'snap/all',
  nodes: q.get('nodes') || 'snap/nodes',
  link: q.get('link') || 'snap/link'
};
var nodes = {};       // address -> {row, cells: {function: td}, online}
var functions = [];   // column order

function $(id) { return document.getElementById(id); }

function setState(id, text) {
  var el = $(id);
  el.textContent = text;
  el.className = 'state ' + text;
}

function format(value) {
  if (value === null) { return 'None'; }
  if (typeof value === 'object') {
    if (value.hex !== undefined) { return '0x' + value.hex; }
    if (value.bytes !== undefined) { return '[' + value.bytes.join(',') + ']'; }
  }
  return String(value);
}

function ensureColumn(fn) {
  if (functions.indexOf(fn) >= 0) { return; }
  functions.push(fn);
  var th = document.createElement('th');
  th.textContent = fn;
  $('head').appendChild(th);
  Object.keys(nodes).forEach(function (address) { addCell(nodes[address], fn); });
}

function addCell(node, fn) {
  var td = document.createElement('td');
  td.setAttribute('data-fn', fn);
  node.row.appendChild(td);
  node.cells[fn] = td;
}

function ensureNode(address) {
  var node = nodes[address];
  if (node) { return node; }
  var row = document.createElement('tr');
  row.setAttribute('data-node', address);
  var name = document.createElement('td');
  name.textContent = address.replace(/(..)(..)(..)/, '$1.$2.$3');
  var seen = document.createElement('td');
  seen.className = 'seen';
  row.appendChild(name);
  row.appendChild(seen);
  node = nodes[address] = { row: row, seen: seen, cells: {}, online: true };
  functions.forEach(function (fn) { addCell(node, fn); });
  var rows = $('nodes');
  var after = Object.keys(nodes).sort().filter(function (a) { return a > address; })[0];
  rows.insertBefore(row, after ? nodes[after].row : null);
  var option = document.createElement('option');
  option.value = option.textContent = address;
  $('rpc-node').appendChild(option);
  return node;
}

function setOnline(node, online) {
  node.online = online;
  node.row.className = online ? '' : 'offline';
  $('online-count').textContent = Object.keys(nodes).filter(function (a) { return nodes[a].online; }).length;
}

function onRpc(m) {
  var fn = m['function'] || '(data)';
  ensureColumn(fn);
  var node = ensureNode(m.src);
  setOnline(node, true);
  node.seen.textContent = new Date(m.time).toLocaleTimeString();
  node.seen.setAttribute('data-time', m.time);
  var cell = node.cells[fn];
  cell.textContent = m.args.map(format).join(', ');
  cell.className = 'fresh';
  setTimeout(function () { cell.className = ''; }, 600);
}

function onNodeEvent(e) {
  var node = ensureNode(e.node);
  setOnline(node, e.event !== 'left' && e.online !== false);
  if (e.lastSeen) {
    node.seen.textContent = new Date(e.lastSeen).toLocaleTimeString();
    node.seen.setAttribute('data-time', e.lastSeen);
  }
}

var client = new Client((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + cfg.ws,
  { services: { pubsub: cfg.pubsub } });
client.on('state', function (e) { setState('ws-state', e.state); });
client.on('connected', function () {
  // the link and the directory as they are now; the channels bring every change after
  client.call(cfg.snap, 'link').then(function (link) { setState('link-state', link.state); }, function () {});
  client.call(cfg.snap, 'nodes').then(function (list) { list.forEach(onNodeEvent); }, function () {});
});
[[cfg.all, onRpc], [cfg.nodes, onNodeEvent], [cfg.link, function (m) { setState('link-state', m.state); }]]
  .forEach(function (pair) {
    var sub = client.subscribe(pair[0]);
    sub.on('publication', function (p) { pair[1](p.data); });
    sub.on('error', function (e) { setState('ws-state', 'subscribe failed: ' + e.code); });
  });

$('rpc-form').addEventListener('submit', function (event) {
  event.preventDefault();
  var result = $('rpc-result');
  var args;
  try {
    args = JSON.parse($('rpc-args').value || '[]');
  } catch (e) {
    result.textContent = 'args must be a JSON array';
    result.className = 'error';
    return;
  }
  result.textContent = 'sending…';
  result.className = '';
  client.call(cfg.snap, 'rpc', { address: $('rpc-node').value, 'function': $('rpc-function').value, args: args })
    .then(function (data) {
      result.textContent = 'handed to the serial port (seq ' + data.seq + ')';
      result.setAttribute('data-seq', data.seq);
    }, function (e) {
      result.textContent = 'error: ' + e.code;
      result.className = 'error';
    });
});

client.connect();
