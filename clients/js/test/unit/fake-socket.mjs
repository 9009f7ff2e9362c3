// A WebSocket stand-in the unit tests drive by hand: what the client sent, and server frames, closes, errors.
export class FakeSocket {
  static all = [];
  static get last() { return FakeSocket.all[FakeSocket.all.length - 1]; }

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closed = false;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    FakeSocket.all.push(this);
  }

  send(data) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data));
  }

  close() { this.closed = true; }

  // ---- the server's side
  open() { this.readyState = 1; this.onopen?.({}); }
  receive(frame) { this.onmessage?.({ data: JSON.stringify(frame) }); }
  reply(call, data) { this.receive({ service: call.service, message: { type: 'response', callId: call.message.callId, data } }); }
  fail(call, name) { this.receive({ service: call.service, message: { type: 'error', callId: call.message.callId, message: name } }); }
  serverClose(code, reason = '') { this.readyState = 3; this.onclose?.({ code, reason }); }
  refuse(status) { this.onerror?.({ message: `Unexpected server response: ${status}` }); this.serverClose(1006); }
  /** The calls sent, by command. */
  calls(command) { return this.sent.filter((f) => f.message.command === command); }
  lastCall() { return this.sent[this.sent.length - 1]; }
}

export const flush = async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); };
