/** A stand-in for an AWS SDK v3 client: records each command and answers from a function. */
export class FakeClient {
  readonly calls: { command: string; input: Record<string, unknown> }[] = [];

  constructor(private readonly respond: (command: string, input: Record<string, unknown>) => unknown = () => ({})) {}

  // Typed loosely on purpose: handlers take Pick<Client, 'send'>.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send = async (command: any): Promise<any> => {
    const name = command.constructor.name as string;
    const input = command.input as Record<string, unknown>;
    this.calls.push({ command: name, input });
    const answer = this.respond(name, input);
    if (answer instanceof Error) throw answer;
    return answer ?? {};
  };

  commands(): string[] {
    return this.calls.map((c) => c.command);
  }
}

/** An SDK-style service exception: what `isAwsError` and callers see from the real clients. */
export function awsError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
