import { AwsClients } from '../../aws/clients';
import { loadConfig } from '../../config/load';
import type { RampartConfig } from '../../config/model';
import { deriveDesiredState, type DesiredState } from '../../engine/desiredState';
import { FakeAws } from '../../sandbox';
import { seedLandingZone } from '../../sandbox/seed/fromConfig';

export const IDS = { management: '111111111111', logArchive: '222222222222', tooling: '333333333333', paymentsProd: '444444444444', paymentsStaging: '444444444445', webProd: '555555555551' };

let cached: { config: RampartConfig; desired: DesiredState } | undefined;

export function pciOrg(): { config: RampartConfig; desired: DesiredState } {
  if (!cached) {
    const config = loadConfig('config/examples/pci-org', { now: new Date('2026-12-04T00:00:00Z') }).config as RampartConfig;
    cached = { config, desired: deriveDesiredState(config) };
  }
  return cached;
}

export async function seededPciOrg(): Promise<FakeAws> {
  const fake = FakeAws.create({ seed: 3 });
  await seedLandingZone(fake, pciOrg().config);
  return fake;
}

/** Clients acting as the security-tooling account, where the workflows run. */
export function toolingClients(fake: FakeAws, organizationRoleName = 'RampartOrganizationRemediation'): AwsClients {
  return new AwsClients({
    homeAccountId: IDS.tooling, homeRegion: 'us-east-1', executionRoleName: 'RampartExecutionRole', organizationRoleName,
    base: { requestHandler: fake.requestHandler(), credentials: fake.credentials({ account: IDS.tooling }) },
  });
}
