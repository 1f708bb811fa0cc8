/**
 * Which posture.config.json judges a run: one file for every workspace (`--config`), or a directory
 * (`--config-dir`) holding `<organization>/<workspace>/posture.config.json`, then
 * `<organization>/posture.config.json`, then `posture.config.json`, the first that exists winning.
 * Every file is read and validated when the server starts, so a typo fails the start (exit 2) rather
 * than a run, and a request can never make the server read a path it chose.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkConfigRules, DEFAULT_CONFIG_FILE, EMPTY_CONFIG, loadConfig, type PostureConfig } from "../../engine/evaluate/config";
import { catalogueWith } from "../../policies";
import { InputError } from "../../engine/errors";

/** HCP Terraform organization and workspace names: letters, digits, `-`, `_` (and `.` in Enterprise). */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export interface ConfigSource {
  /** The config for a workspace, and the file it came from (undefined: the defaults). */
  resolve(organization: string, workspace: string): PostureConfig;
  /** How many config files were loaded. */
  readonly files: number;
}

/** A config file, with its rule ids and thresholds checked against the catalogue and its packs now, not at the first run. */
function loadChecked(file: string): PostureConfig {
  const config = loadConfig(file);
  checkConfigRules(config, catalogueWith(config.packs ?? []));
  return config;
}

/** One config for every workspace (`file` undefined: the defaults, as the CLI without a config file). */
export function singleConfig(file?: string): ConfigSource {
  const config = file ? loadChecked(file) : EMPTY_CONFIG;
  return { resolve: () => config, files: file ? 1 : 0 };
}

function subdirs(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    throw new InputError(dir, "cannot be read");
  }
  return names.filter((n) => NAME.test(n) && statSync(join(dir, n)).isDirectory());
}

/** Every config file under `dir`, loaded now, looked up by organization and workspace later. */
export function configDirectory(dir: string): ConfigSource {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(dir, "is not a directory");
  const byKey = new Map<string, PostureConfig>();
  const load = (key: string, path: string) => {
    if (existsSync(path)) byKey.set(key, loadChecked(path));
  };
  load("", join(dir, DEFAULT_CONFIG_FILE));
  for (const org of subdirs(dir)) {
    load(org, join(dir, org, DEFAULT_CONFIG_FILE));
    for (const ws of subdirs(join(dir, org))) load(`${org}/${ws}`, join(dir, org, ws, DEFAULT_CONFIG_FILE));
  }
  return {
    files: byKey.size,
    resolve(organization, workspace) {
      const candidates = NAME.test(organization) ? (NAME.test(workspace) ? [`${organization}/${workspace}`, organization] : [organization]) : [];
      for (const k of [...candidates, ""]) {
        const c = byKey.get(k);
        if (c) return c;
      }
      return EMPTY_CONFIG;
    },
  };
}
