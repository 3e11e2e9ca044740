import type { Command } from 'commander';
import { formatIssue } from '../../config/errors';
import { parseAccountIdOverrides, SynthesisError } from '../../stacks/accountDirectory';
import { DEFAULT_CONFIG_DIR, synthesizeLandingZone } from '../../stacks/synthesize';

export interface SynthCommandOptions {
  config: string;
  out: string;
  accountIds?: string;
}

/** Synthesizes the landing zone like `npx cdk synth`, without the CDK CLI; exit 1 on invalid configuration or cdk-nag findings. */
export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('Validate the configuration and synthesize the landing-zone stacks (CloudFormation, checked by cdk-nag) into a cloud assembly')
    .option('--config <dir>', 'configuration directory', DEFAULT_CONFIG_DIR)
    .option('--out <dir>', 'cloud assembly directory', 'cdk.out')
    .option('--account-ids <pairs>', 'ids of accounts not yet in organization.yaml, e.g. log-archive=222222222222,security-tooling=333333333333')
    .action((options: SynthCommandOptions) => {
      process.exitCode = runSynth(options);
    });
}

export function runSynth(options: SynthCommandOptions): number {
  try {
    const result = synthesizeLandingZone({ configDir: options.config, outdir: options.out, accountIds: parseAccountIdOverrides(options.accountIds) });
    for (const warning of result.warnings) console.log(formatIssue(warning));
    for (const stack of result.assembly.stacks) {
      const resources = Object.keys(stack.template.Resources ?? {}).length;
      console.log(`${stack.stackName.padEnd(36)} ${stack.environment.account}/${stack.environment.region.padEnd(15)} ${String(resources).padStart(4)} resources`);
    }
    for (const notice of result.landingZone.notices) console.log(`note: ${notice}`);
    console.log(`${options.config}: ${result.assembly.stacks.length} stacks written to ${options.out}; deploy with npx cdk deploy --app ${options.out} --all`);
    return 0;
  } catch (error) {
    if (error instanceof SynthesisError) {
      console.error(error.message);
      return 1;
    }
    // cdk-nag findings fail synthesis with CDK's validation report.
    if (error instanceof Error && /Validation failed/.test(error.message)) {
      console.error(`cdk-nag found violations: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
