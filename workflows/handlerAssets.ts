import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SETTINGS_FILE, type WorkflowSettings } from '../handlers/workflows/settings';
import { bundleHandler } from '../stacks/handlerBundle';

/** The workflow handlers, one Lambda function each (files under handlers/workflows/). */
export const WORKFLOW_HANDLERS = [
  'collectPlan', 'collectView', 'collectFollowUps', 'collectAccounts', 'detectDrift', 'publishDrift',
  'remediationPlan', 'requestApproval', 'applyAction', 'recordDecision', 'verifyRemediation',
] as const;
export type WorkflowHandler = (typeof WORKFLOW_HANDLERS)[number];

let root: string | undefined;

function scratch(): string {
  if (!root) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-workflow-assets-'));
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    root = dir;
  }
  return root;
}

/**
 * A Lambda code directory: the handler's esbuild bundle (index.js) and the settings derived from
 * the configuration (settings.json). Directories are keyed by content, so a configuration change
 * gives a new asset and a redeployed function.
 */
export function handlerAsset(handler: WorkflowHandler, settings: WorkflowSettings): string {
  const bundle = fs.readFileSync(path.join(bundleHandler(`workflows/${handler}`), 'index.js'));
  const settingsJson = JSON.stringify(settings);
  const hash = createHash('sha256').update(bundle).update(settingsJson).digest('hex').slice(0, 16);
  const dir = path.join(scratch(), `${handler}-${hash}`);
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.js'), bundle);
    fs.writeFileSync(path.join(dir, SETTINGS_FILE), settingsJson);
  }
  return dir;
}
