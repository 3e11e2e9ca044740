import type { Clock } from '../clock';
import { AwsError } from '../errors';
import type { SeededRandom } from '../random';

export type TaskOutcome =
  | { status: 'SUCCEEDED'; output: string }
  | { status: 'FAILED'; error?: string; cause?: string }
  | { status: 'TIMED_OUT'; error: 'States.Timeout' | 'States.HeartbeatTimeout' };

export interface WaitingTask {
  token: string;
  account: string;
  region: string;
  /** What the task waits for, for people reading a list of pending approvals. */
  label?: string;
  registeredAtMs: number;
  lastHeartbeatMs: number;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

interface Entry extends WaitingTask {
  settle(outcome: TaskOutcome): void;
  done: boolean;
  timer?: NodeJS.Timeout;
}

const TOKEN_PREFIX = 'AQCEAAAAKgAAAAMAAAAAAAAAA';

/**
 * Task tokens of Step Functions tasks waiting for a callback (`.waitForTaskToken`): the local
 * workflow runner registers a token and awaits its outcome; SendTaskSuccess, SendTaskFailure and
 * SendTaskHeartbeat (through the SDK or the CLI) answer it. Timeouts follow the sandbox clock.
 */
export class TaskTokenRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly random: SeededRandom, private readonly clock: Clock) {}

  register(options: { account: string; region: string; label?: string; timeoutSeconds?: number; heartbeatSeconds?: number }): { token: string; outcome: Promise<TaskOutcome> } {
    const token = `${TOKEN_PREFIX}${this.random.chars(344, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}`;
    const now = this.clock.nowMs();
    let settle!: (outcome: TaskOutcome) => void;
    const outcome = new Promise<TaskOutcome>((resolve) => {
      settle = resolve;
    });
    const entry: Entry = { token, ...options, registeredAtMs: now, lastHeartbeatMs: now, done: false, settle };
    this.entries.set(token, entry);
    this.arm(entry);
    return { token, outcome };
  }

  /** Tasks still waiting, oldest first. */
  pending(): WaitingTask[] {
    this.sweep();
    return [...this.entries.values()].filter((e) => !e.done).map(({ settle: _settle, done: _done, timer: _timer, ...task }) => task);
  }

  /** SendTaskSuccess from `account` in `region`. */
  succeed(token: string, output: string, account: string, region: string): void {
    const entry = this.live(token, account, region);
    try {
      JSON.parse(output);
    } catch {
      throw new AwsError('InvalidOutput', 'The provided JSON output data is invalid.');
    }
    this.finish(entry, { status: 'SUCCEEDED', output });
  }

  fail(token: string, account: string, region: string, error?: string, cause?: string): void {
    this.finish(this.live(token, account, region), { status: 'FAILED', error, cause });
  }

  heartbeat(token: string, account: string, region: string): void {
    const entry = this.live(token, account, region);
    entry.lastHeartbeatMs = this.clock.nowMs();
    this.arm(entry);
  }

  /** Times out tasks whose timeout or heartbeat interval has passed on the sandbox clock. */
  sweep(): void {
    const now = this.clock.nowMs();
    for (const entry of this.entries.values()) {
      if (entry.done) continue;
      if (entry.timeoutSeconds !== undefined && now >= entry.registeredAtMs + entry.timeoutSeconds * 1000) {
        this.finish(entry, { status: 'TIMED_OUT', error: 'States.Timeout' });
      } else if (entry.heartbeatSeconds !== undefined && now >= entry.lastHeartbeatMs + entry.heartbeatSeconds * 1000) {
        this.finish(entry, { status: 'TIMED_OUT', error: 'States.HeartbeatTimeout' });
      }
    }
  }

  /** A task token belongs to the account and Region of its execution. */
  private live(token: string, account: string, region: string): Entry {
    if (!token.startsWith(TOKEN_PREFIX)) throw new AwsError('InvalidToken', 'Invalid token');
    this.sweep();
    const entry = this.entries.get(token);
    if (!entry || entry.account !== account || entry.region !== region) throw new AwsError('TaskDoesNotExist', 'Task does not exist');
    if (entry.done) throw new AwsError('TaskTimedOut', 'Provided task does not exist anymore');
    return entry;
  }

  private finish(entry: Entry, outcome: TaskOutcome): void {
    entry.done = true;
    if (entry.timer) clearTimeout(entry.timer);
    entry.settle(outcome);
  }

  /** A wall-clock timer so a waiting task times out even when nobody calls; unref'd so it never holds the process. */
  private arm(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    const deadlines: number[] = [];
    if (entry.timeoutSeconds !== undefined) deadlines.push(entry.registeredAtMs + entry.timeoutSeconds * 1000);
    if (entry.heartbeatSeconds !== undefined) deadlines.push(entry.lastHeartbeatMs + entry.heartbeatSeconds * 1000);
    if (deadlines.length === 0 || this.clock.isPinned) return;
    const wait = Math.max(0, Math.min(...deadlines) - this.clock.nowMs());
    entry.timer = setTimeout(() => this.sweep(), wait + 5);
    entry.timer.unref();
  }
}
