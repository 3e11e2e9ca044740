import { execFile } from 'node:child_process';
import { findScenario } from '../../sandbox/scenarios';
import { topicMessages } from '../../sandbox/state/sns';
import { autoRemediatingPciOrg, NOW, openSession, seededSandbox, workflowsOf } from './harness';

/**
 * Moving an account back is never automatic: the Remediate workflow waits on a task token, the
 * request goes to the security audience on SNS, and `rampart approve TOKEN` (a separate process,
 * through the loopback server) answers it; a rejection or no answer writes nothing.
 */
const config = autoRemediatingPciOrg();

/** The CLI in its own process (asynchronously: it calls back into this process's loopback server). */
function rampart(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/rampart.js', ...args, '--config', config.dir], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function movedAccount(options: { now?: Date } = {}) {
  const fake = await seededSandbox(config, options);
  const server = await fake.listen({ port: 0 });
  const requests: string[] = [];
  let answer: (token: string) => void = () => undefined;
  const session = await openSession(config, fake, {
    endpoint: server.url, approvals: 'wait',
    onApprovalRequested: ({ token }) => {
      requests.push(token);
      answer(token);
    },
  });
  await findScenario('pci-account-moved')?.apply(fake, {});
  const check = await session.driftCheck();
  expect(check.report.drifts.map((d) => d.type)).toEqual(['AccountMovedOu']);
  return { fake, server, session, check, requests, onRequest: (fn: (token: string) => void) => { answer = fn; } };
}

beforeAll(() => {
  workflowsOf(config);
}, 120_000);

describe('approvals of remediation actions', () => {
  it('waits for `rampart approve TOKEN`, then moves the account back', async () => {
    const { fake, server, session, check, requests, onRequest } = await movedAccount();
    try {
      let cli: ReturnType<typeof rampart> | undefined;
      onRequest((token) => { cli = rampart(['approve', token, '--endpoint', server.url, '--by', 'alice']); });
      const run = await session.remediate({ after: check.summary });
      const answered = await cli;
      expect(answered?.status).toBe(0);
      expect(answered?.stdout).toMatch(/^Approved/);
      expect(requests).toHaveLength(1);
      expect(run.records.map((r) => [r.action.kind, r.outcome, r.approval?.decision, r.approval?.by])).toEqual([['MoveAccount', 'applied', 'approved', 'alice']]);
      const topic = workflowsOf(config).functions.values().next().value?.environment.RAMPART_TOPIC_ARN as string;
      const request = topicMessages(fake.state, topic).find((m) => m.message.includes(requests[0]));
      expect(request?.subject).toMatch(/^Rampart: approval needed to move account/);
      expect(request?.attributes.audience?.StringValue).toBe('security');
      expect((await session.driftCheck()).report.drifts).toEqual([]);
      // The token was answered: answering again is refused with a clear message.
      const again = await rampart(['approve', requests[0], '--endpoint', server.url]);
      expect(again.status).toBe(2);
      expect(again.stderr).toMatch(/not waiting/);
    } finally {
      session.close();
      await server.close();
    }
  }, 180_000);

  it('writes nothing when a person rejects, and records who and why', async () => {
    const { server, session, check, onRequest } = await movedAccount();
    try {
      onRequest((token) => { void rampart(['approve', token, '--endpoint', server.url, '--reject', '--reason', 'the move is planned', '--by', 'bob']); });
      const run = await session.remediate({ after: check.summary });
      expect(run.records.map((r) => [r.outcome, r.approval?.decision, r.approval?.by, r.precondition?.reason])).toEqual([['rejected', 'rejected', 'bob', 'rejected: the move is planned']]);
      expect(run.records[0].before).toEqual([]);
      expect((await session.driftCheck()).report.drifts.map((d) => d.type)).toEqual(['AccountMovedOu']);
    } finally {
      session.close();
      await server.close();
    }
  }, 180_000);

  it('writes nothing when nobody answers in time (approvalTimeoutHours)', async () => {
    const { fake, server, session, check, onRequest } = await movedAccount({ now: NOW });
    try {
      onRequest(() => setImmediate(() => {
        fake.clock.advance(config.governance.remediation.approvalTimeoutHours * 3_600_000 + 1000);
        fake.taskTokens.sweep();
      }));
      const run = await session.remediate({ after: check.summary });
      expect(run.records.map((r) => [r.outcome, r.approval?.decision])).toEqual([['expired', 'expired']]);
    } finally {
      session.close();
      await server.close();
    }
  }, 180_000);

  it('refuses a rejection without a reason', async () => {
    const result = await rampart(['approve', 'AQCEAAAAKgAAAAMAAAAAAAAAAwtoken', '--reject', '--endpoint', 'http://127.0.0.1:9']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--reject needs --reason/);
  });
});
