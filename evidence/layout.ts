/**
 * Where evidence lives, locally and in the evidence bucket (under its prefix):
 *
 *   <framework>/<YYYY-MM-DD>/       one set per framework: report.json, report.html, controls.csv,
 *                                   findings.ocsf.jsonl, manifest.json
 *   _check-results/<YYYY-MM-DD>/    the run's raw check results, once for every framework, and
 *                                   the inventory they were judged on: check-results.jsonl.gz,
 *                                   inventory.json.gz, manifest.json
 *
 * Each framework's manifest names the check-results file by path and SHA-256, so verifying a set
 * covers the raw results it cites. Framework ids cannot start with `_`, so the two never clash.
 */
export const CHECK_RESULTS_DIR = '_check-results';
export const CHECK_RESULTS_FILE = 'check-results.jsonl.gz';
/** The inventory the checks judged, as canonical JSON (its SHA-256 is the manifest's inventory hash), gzipped. */
export const INVENTORY_FILE = 'inventory.json.gz';

/** The check-results file of a run, as a path from inside one of its framework sets. */
export function checkResultsPathFromSet(date: string): string {
  return `../../${CHECK_RESULTS_DIR}/${date}/${CHECK_RESULTS_FILE}`;
}
