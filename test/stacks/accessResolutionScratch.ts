import { loadValidConfig } from '../../stacks/synthesize';
import { buildLandingZone } from '../../stacks/landingZone';
import { createRampartApp } from '../../stacks/rampartApp';
import { accessResolution } from '../../stacks/governance/accessResolution';
const { config } = loadValidConfig('config/examples/pci-org', new Date('2026-12-04T00:00:00Z'));
const app = createRampartApp({ outdir: '/tmp/acc/out' });
try {
  buildLandingZone(app, config, { governanceExtensions: [accessResolution()] });
  app.synth();
  console.log('ok');
} catch (e) { console.log(String(e).slice(0, 20000)); }
