import { findScenario } from '../../sandbox/scenarios';
import { autoRemediatingPciOrg, openSession, seededSandbox, workflowsOf } from './harness';

/**
 * The same workflows with each Task bound to its esbuild bundle, run in a separate Node process
 * the way Lambda runs it (the AWS SDK from the runtime, settings.json beside index.js), reaching
 * the sandbox through its loopback server (AWS_ENDPOINT_URL).
 */
const config = autoRemediatingPciOrg();

beforeAll(() => {
  workflowsOf(config);
}, 120_000);

describe('the workflows with their bundled handlers against the loopback sandbox', () => {
  it('detect a drift, repair it and find the organization clean again', async () => {
    const fake = await seededSandbox(config);
    const server = await fake.listen({ port: 0 });
    const session = await openSession(config, fake, { endpoint: server.url, handlers: 'bundled', approvals: 'auto' });
    try {
      await findScenario('securitylake-source-stopped')?.apply(fake, {});
      fake.calls.clear();
      const check = await session.driftCheck();
      expect(check.report.drifts.map((d) => d.type)).toEqual(['AwsSourceNotCollecting']);
      // The bundles' calls came over HTTP; in this process only the test read the report back.
      expect(fake.calls.filter({}).filter((c) => c.transport === 'http').length).toBeGreaterThan(50);
      expect(fake.calls.filter({}).filter((c) => c.transport !== 'http').map((c) => `${c.service}:${c.operation}`)).toEqual(['s3:GetObject']);
      const repair = await session.remediate({ after: check.summary });
      expect(repair.records.map((r) => r.outcome)).toEqual(['applied']);
      expect((await session.driftCheck()).report.drifts).toEqual([]);
    } finally {
      session.close();
      await server.close();
    }
  }, 180_000);
});
