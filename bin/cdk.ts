// The CDK app (cdk.json: "app": "npx tsx bin/cdk.ts"). Context:
//   -c config=DIR                 configuration directory (default config/examples/pci-org)
//   -c accountIds=name=id,...     ids of accounts organization.yaml has none for yet
//   -c validateTemplates=true     also run CDK's built-in CloudFormation validation
import { formatIssue } from '../config/errors';
import { parseAccountIdOverrides, SynthesisError } from '../stacks/accountDirectory';
import { governanceWorkflows } from '../stacks/governance/governanceWorkflows';
import { buildLandingZone } from '../stacks/landingZone';
import { createRampartApp } from '../stacks/rampartApp';
import { DEFAULT_CONFIG_DIR, loadValidConfig } from '../stacks/synthesize';

function main(): void {
  const app = createRampartApp();
  const context = (key: string): unknown => app.node.tryGetContext(key);
  const configDir = String(context('config') ?? DEFAULT_CONFIG_DIR);
  const { config, warnings } = loadValidConfig(configDir);
  for (const warning of warnings) console.error(formatIssue(warning));
  const accountIds = parseAccountIdOverrides(context('accountIds'));
  const landingZone = buildLandingZone(app, config, { accountIds, governanceExtensions: governanceWorkflows({ accountIds }) });
  for (const notice of landingZone.notices) console.error(`note: ${notice}`);
  app.synth();
}

try {
  main();
} catch (error) {
  if (error instanceof SynthesisError) {
    console.error(`rampart: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
