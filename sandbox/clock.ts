/**
 * The sandbox's time: the wall clock by default; tests can pin it (`set`) and move it (`advance`)
 * so expirations, retention dates and rate limits behave the same on every run.
 */
export class Clock {
  private pinned: number | undefined;
  private offsetMs = 0;

  constructor(start?: Date) {
    if (start) this.pinned = start.getTime();
  }

  nowMs(): number {
    return this.pinned ?? Date.now() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Stops the clock at `at`. */
  set(at: Date): void {
    this.pinned = at.getTime();
  }

  /** Moves time forward by `ms`, pinned or not. */
  advance(ms: number): void {
    if (this.pinned !== undefined) this.pinned += ms;
    else this.offsetMs += ms;
  }

  /** Lets the clock run again from the wall clock. */
  release(): void {
    this.pinned = undefined;
  }

  get isPinned(): boolean {
    return this.pinned !== undefined;
  }
}
