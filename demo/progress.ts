/** Shows the demo's steps: a spinner and a live timer on a terminal, one plain line per finished step otherwise. */
export interface StepReporter {
  run<T>(title: string, work: (note: (detail: string) => void) => Promise<T>, describe?: (result: T) => string): Promise<T>;
  /** Text printed between steps (the drift table). */
  print(text: string): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class StepFailed extends Error {
  constructor(readonly step: string, readonly cause: unknown) {
    super(`${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function consoleReporter(stream: NodeJS.WriteStream = process.stdout, interactive = stream.isTTY === true): StepReporter {
  return {
    async run(title, work, describe) {
      const started = Date.now();
      let detail = '';
      let frame = 0;
      const draw = () => stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${title}${detail ? ` — ${detail}` : ''} (${seconds(Date.now() - started)})`);
      const timer = interactive ? setInterval(draw, 100) : undefined;
      if (interactive) draw();
      try {
        const result = await work((text) => { detail = text; });
        const line = `✓ ${title}${describe ? `: ${describe(result)}` : ''} (${seconds(Date.now() - started)})`;
        stream.write(interactive ? `\r\x1b[2K${line}\n` : `${line}\n`);
        return result;
      } catch (error) {
        stream.write(`${interactive ? '\r\x1b[2K' : ''}✗ ${title} (${seconds(Date.now() - started)})\n`);
        throw error instanceof StepFailed ? error : new StepFailed(title, error);
      } finally {
        if (timer) clearInterval(timer);
      }
    },
    print(text) {
      stream.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}

/** Runs the steps without showing them (tests). */
export const silentReporter: StepReporter = {
  async run(title, work) {
    try {
      return await work(() => undefined);
    } catch (error) {
      throw new StepFailed(title, error);
    }
  },
  print() {},
};
