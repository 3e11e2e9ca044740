import type { FakeAws } from '../fakeAws';

export interface ScenarioOptions {
  /** The account to act on (id or name), where the scenario concerns one account; each scenario picks a sensible default. */
  account?: string;
}

export interface ScenarioResult {
  /** One line per change, as a person reading the drift report would describe it. */
  changes: string[];
}

/** A named drift: a change people or attackers make, made through the same AWS operations they would call. */
export interface Scenario {
  name: string;
  description: string;
  apply(fake: FakeAws, options: ScenarioOptions): Promise<ScenarioResult>;
}
