import { configSlot } from '../state/awsConfig';
import { chooseAccount, landingZone } from './landingZone';
import type { Scenario } from './scenario';

/** An account stops its AWS Config recorder (StopConfigurationRecorder in the account). */
export const configRecorderStopped: Scenario = {
  name: 'config-recorder-stopped',
  description: 'The AWS Config recorder of one account (a PCI account by default) is stopped in the first Region where it records',
  async apply(fake, options) {
    const zone = landingZone(fake);
    const account = chooseAccount(zone, options.account, zone.pciAccounts, 'PCI account');
    const recording = [...fake.state.entries(configSlot)].filter((e) => e.account === account && e.value.recorderStatus?.recording).map((e) => e.region).sort();
    const region = recording[0];
    const recorder = region ? fake.state.find(configSlot, account, region)?.recorder : undefined;
    if (!region || !recorder) throw new Error(`account ${account} has no recording AWS Config recorder`);
    await fake.invoke('config', 'StopConfigurationRecorder', { ConfigurationRecorderName: recorder.name }, { account, region });
    return { changes: [`AWS Config recorder ${recorder.name} stopped in account ${account}, ${region}`] };
  },
};
