// Runs unary calls in slices of the event loop's time. Node's HTTP/2 sends
// what handlers queued (answers, and more of a large answer once the client
// opened its flow-control window) only between turns of the loop, and reads
// the client's window updates only then too. A burst of calls handled in one
// turn (a client writes many requests at once) held all of that back until
// the last call of the burst was done, and the client sat idle meanwhile.
// Calls that arrive while a slice still has time run at once; the rest wait
// for the next turn, in arrival order.

/** Time one turn spends starting calls before it lets the connection's writes and reads through. */
const defaultSliceMs = 0.5;

export class CallQueue {
  private readonly waiting: (() => void)[] = [];
  /** When the current slice started; -1 outside a slice. */
  private sliceStart = -1;
  private drainScheduled = false;

  constructor(private readonly sliceMs = defaultSliceMs) {}

  /** Runs `call` now if this turn's slice has time left and nothing waits, otherwise in a later turn. */
  run(call: () => void): void {
    if (this.waiting.length === 0 && this.hasTime()) {
      call();
      return;
    }
    this.waiting.push(call);
    this.scheduleDrain();
  }

  private hasTime(): boolean {
    const now = performance.now();
    if (this.sliceStart < 0) {
      this.sliceStart = now;
      // The slice ends with the turn.
      setImmediate(this.endSlice);
      return true;
    }
    return now - this.sliceStart < this.sliceMs;
  }

  private readonly endSlice = (): void => {
    this.sliceStart = -1;
  };

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(this.drain);
  }

  private readonly drain = (): void => {
    this.drainScheduled = false;
    const start = performance.now();
    let call: (() => void) | undefined;
    while ((call = this.waiting.shift()) !== undefined) {
      call();
      if (performance.now() - start >= this.sliceMs) break;
    }
    if (this.waiting.length > 0) this.scheduleDrain();
  };
}
