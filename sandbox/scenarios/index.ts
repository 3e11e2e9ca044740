import { configRecorderStopped } from './configRecorderStopped';
import { conformancePackDeleted } from './conformancePackDeleted';
import { delegatedAdminDeregistered } from './delegatedAdminDeregistered';
import { pciAccountMovedOu } from './pciAccountMovedOu';
import { pciControlDisabled } from './pciControlDisabled';
import { pciRoleTrustedByNonPciAccount } from './pciRoleTrustedByNonPciAccount';
import { pciScpDetached } from './pciScpDetached';
import { pciScpEdited } from './pciScpEdited';
import { pciStandardDisabled } from './pciStandardDisabled';
import { roleTrustedByExternalAccount } from './roleTrustedByExternalAccount';
import type { Scenario } from './scenario';
import { securityLakeCustomSourceDeleted } from './securityLakeCustomSourceDeleted';
import { securityLakeReplicationRemoved } from './securityLakeReplicationRemoved';
import { securityLakeSourceStopped } from './securityLakeSourceStopped';

export type { Scenario, ScenarioOptions, ScenarioResult } from './scenario';

/** Every named drift scenario, in the order `rampart sandbox scenario` lists them. */
export const SCENARIOS: readonly Scenario[] = [
  pciAccountMovedOu, pciScpDetached, pciScpEdited, pciStandardDisabled, pciControlDisabled, securityLakeSourceStopped,
  securityLakeReplicationRemoved, securityLakeCustomSourceDeleted, configRecorderStopped, conformancePackDeleted,
  delegatedAdminDeregistered, roleTrustedByExternalAccount, pciRoleTrustedByNonPciAccount,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
