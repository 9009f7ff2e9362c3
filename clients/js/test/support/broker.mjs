// The real broker (the shaded jar broker-server built) and a real redis-server, as processes on free loopback ports.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, connect } from 'node:net';
import { existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

export { WebSocket };
export const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const JAR = process.env.SQUALL_JAR || new URL('../../../../broker-server/target/broker-server.jar', import.meta.url).pathname;
const JAVA = process.env.SQUALL_JAVA || 'java';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 20 ms until it returns truthy; fails after `ms`. */
export async function until(what, check, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** An HS256 JWT signed with SECRET. */
export function jwt(claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}
export const now = () => Math.floor(Date.now() / 1000);

const DEFAULTS = [
  '--pubsub.channels=news:* size=1000 ttl=10m; room:* size=100 ttl=10m presence',
  '--datasync.dealers=tasks=broadcast:Task', '--shutdown.timeout=1s',
  `--auth.jwt.secret=${SECRET}`, '--auth.anonymous=true', '--allowed.origins=*',
];

/** A broker process; `restart()` stops it (SIGTERM) and starts it again on the same ports. */
export class Broker {
  static async start(args = [], env = {}) {
    const b = new Broker(args, env, await freePort(), await freePort());
    await b.launch();
    return b;
  }

  constructor(args, env, publicPort, privatePort) {
    if (!existsSync(JAR)) throw new Error(`no broker jar at ${JAR}: build broker-server first`);
    this.args = args;
    this.env = env;
    this.publicPort = publicPort;
    this.privatePort = privatePort;
    this.key = randomBytes(18).toString('base64url');
    this.url = `ws://127.0.0.1:${publicPort}/ws`;
    this.dir = mkdtempSync(join(tmpdir(), 'squall-js-'));
    this.runs = 0;
  }

  async launch() {
    const log = join(this.dir, `broker-${++this.runs}.log`);
    const out = openSync(log, 'w');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SQUALL_')));
    this.proc = spawn(JAVA, ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', JAR,
      `--public.host=127.0.0.1`, `--public.port=${this.publicPort}`, `--private.port=${this.privatePort}`,
      `--backend.key=${this.key}`, ...DEFAULTS, ...this.args], { env: { ...env, ...this.env }, stdio: ['ignore', out, out] });
    this.log = log;
    const proc = this.proc;
    await until(`the broker on ${this.publicPort} to be ready (log ${log})`, async () => {
      if (proc.exitCode !== null) throw new Error(`broker exited ${proc.exitCode}:\n${readFileSync(log, 'utf8')}`);
      try {
        return (await fetch(`http://127.0.0.1:${this.privatePort}/health/ready`)).status === 200;
      } catch { return false; }
    }, 60000);
  }

  /** Stops the process: SIGTERM (graceful, clients get 1001) or SIGKILL. */
  async stop(signal = 'SIGTERM') {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    await exited;
  }

  async restart() {
    await this.stop();
    await this.launch();
  }

  /** One envelope to the backend HTTP door; returns the reply's message. */
  async backend(service, command, params) {
    const r = await fetch(`http://127.0.0.1:${this.privatePort}/backend`, {
      method: 'POST', headers: { 'X-Backend-Key': this.key },
      body: JSON.stringify({ service, message: { command, params } }),
    });
    const m = (await r.json()).message;
    if (m.type === 'error') throw new Error(m.message);
    return m.data;
  }
}

/** A real redis-server on a free port, without persistence. */
export class Redis {
  static async start() {
    const port = await freePort();
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' });
    await until('redis-server', () => new Promise((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    }));
    return { port, address: `redis://127.0.0.1:${port}`, stop: () => proc.kill('SIGKILL') };
  }
}
