import { App, CloudFormationValidatePlugin, Validations } from 'aws-cdk-lib';

/** CDK behaviours Rampart relies on, fixed here rather than in cdk.json so tests and benchmarks get them too. */
const FEATURE_FLAGS = {
  // Grant S3 server-access-log delivery through a bucket policy, not the legacy log-delivery ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

export interface RampartAppOptions {
  outdir?: string;
  context?: Record<string, unknown>;
  /**
   * Also run CDK's built-in CloudFormation template validation at synth (context
   * `validateTemplates=true` does the same). Off by default: Rampart's tests lint every template
   * with cfn-lint, and the built-in pass costs several seconds per synth at organization scale.
   */
  validateTemplates?: boolean;
}

export function createRampartApp(options: RampartAppOptions = {}): App {
  const app = new App({ outdir: options.outdir, context: { ...FEATURE_FLAGS, ...options.context }, builtinCloudFormationValidation: false });
  const fromContext = String(app.node.tryGetContext('validateTemplates')) === 'true';
  if (options.validateTemplates ?? fromContext) Validations.of(app).addPlugins(new CloudFormationValidatePlugin());
  return app;
}
