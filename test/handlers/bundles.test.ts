import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleHandler } from '../../stacks/handlerBundle';

const HANDLERS = fs.readdirSync('handlers/customResources').filter((f) => f.endsWith('.ts') && f !== 'cloudFormationEvent.ts').map((f) => f.slice(0, -3));

describe('custom-resource handler bundles', () => {
  it('bundles every handler offline into one file that loads where the AWS SDK comes from the runtime, exporting its entry points', () => {
    const files = Object.fromEntries(HANDLERS.map((handler) => [handler, path.join(bundleHandler(`customResources/${handler}`), 'index.js')]));
    for (const file of Object.values(files)) {
      const source = fs.readFileSync(file, 'utf8');
      expect(source).toMatch(/require\("@aws-sdk\/client-[a-z]+"\)/);
      expect(source).not.toContain('@smithy/smithy-client');
    }
    // Like Lambda's Node.js runtime: the SDK is found on the global module path, not next to the bundle.
    const load = spawnSync(process.execPath, ['-e', `const files = ${JSON.stringify(files)};
      console.log(JSON.stringify(Object.fromEntries(Object.entries(files).map(([name, file]) => [name, Object.keys(require(file)).filter((k) => typeof require(file)[k] === 'function')]))));`], {
      encoding: 'utf8', env: { ...process.env, NODE_PATH: path.resolve('node_modules') },
    });
    expect(load.stderr).toBe('');
    const exported = JSON.parse(load.stdout) as Record<string, string[]>;
    for (const handler of HANDLERS) expect([handler, exported[handler]]).toEqual([handler, expect.arrayContaining(['onEvent'])]);
    expect(exported.accountPlacement).toContain('isComplete');
  });
});
