// A WebSocket as the browser gives it, at the edge of the panel's live channel, driven by the test.
export class FakeSocket extends EventTarget {
  static all: FakeSocket[] = [];
  readonly sent: string[] = [];
  closedWith: number | null = null;
  constructor(readonly url: string) {
    super();
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1000) {
    this.closedWith = code;
  }
  /** The server side. */
  accept() {
    this.dispatchEvent(new Event('open'));
  }
  deliver(data: unknown) {
    this.dispatchEvent(Object.assign(new Event('message'), { data: typeof data === 'string' ? data : JSON.stringify(data) }));
  }
  drop() {
    this.dispatchEvent(new Event('close'));
  }
}
