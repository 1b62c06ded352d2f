/**
 * The ordered merge of --jobs: results finish in any order (workers race), and are handed on in
 * the order their slots were taken, so the output is byte for byte the one thread's. A result
 * that finishes early waits here for those before it; how many slots may be open at once (and so
 * how much waits) is the caller's cap. A slot may also be filled at once (a file's `==> name <==`
 * header), to keep its place among the batches around it.
 */
export class InOrder<T> {
  private taken = 0;
  private next = 0;
  private readonly waiting = new Map<number, T>();

  constructor(private readonly deliver: (result: T) => void) {}

  /** Slots taken and not yet handed on. */
  get open(): number {
    return this.taken - this.next;
  }

  take(): number {
    return this.taken++;
  }

  fill(slot: number, result: T): void {
    this.waiting.set(slot, result);
    for (let r = this.waiting.get(this.next); r !== undefined; r = this.waiting.get(this.next)) {
      this.waiting.delete(this.next++);
      this.deliver(r);
    }
  }
}
