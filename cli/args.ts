/** Command-line parsing for `posture` (CLI.md). Any mistake is a UsageError (exit 2). */
import { UsageError } from "../engine/errors";
import type { VariableSource } from "../engine/load/load";
import { PROFILES, type Profile } from "../policies/rule";

export const COMMANDS = ["check", "review", "drift", "rules"] as const;
export type Command = (typeof COMMANDS)[number];
export const FORMATS = ["text", "json", "sarif", "junit", "markdown"] as const;
export type Format = (typeof FORMATS)[number];
const RULES_FORMATS: readonly Format[] = ["text", "json", "markdown"];
/** --unknown: what an unknown value does to the exit code. */
export const UNKNOWN_MODES = ["warn", "fail"] as const;
/** --fail-on (review): which failing findings fail the run. */
export const FAIL_ON = ["new", "any"] as const;

/** The value of an option that takes one of a few words, or a usage error that lists them. */
export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be ${allowed.join(" or ")}`);
  return value as T;
}

export interface Args {
  command: Command;
  paths: string[];
  profile?: Profile;
  config?: string;
  formats: Format[];
  outputs: string[];
  unknown: (typeof UNKNOWN_MODES)[number];
  /** review only: fail on new and regressed findings (default) or on any failing finding. */
  failOn: (typeof FAIL_ON)[number];
  /** --fail-on was given to a command other than review, where it has no effect. */
  failOnIgnored?: boolean;
  colour: boolean;
  /** review and drift: a cdktf.out directory whose stacks give the plans their construct paths and in-code waivers. */
  synth?: string;
  /** review and drift: point findings at the files of this repository that declare their resources. */
  repoRoot?: string;
  /** --pack: rule pack modules, added to the config's packs. */
  packs: string[];
  /** --only / --skip: rule id globs (comma-separated, repeatable). */
  only?: string[];
  skip?: string[];
  /** --baseline: report only findings not recorded in this file. */
  baseline?: string;
  /** --write-baseline (check): record today's failing findings in this file. */
  writeBaseline?: string;
  /** check: root variable values (`--var NAME=VALUE`, `--var-file FILE`), in command-line order. */
  variables: VariableSource[];
}

export const USAGE = `usage: posture <command> [options]

commands:
  check <path>...     evaluate configuration: a cdktf.out directory, *.tf.json, a directory of *.tf, plan or state JSON
  review <plan.json>...  PR plan review (terraform show -json tfplan; one plan per stack or workspace, judged together):
                      findings labelled new, existing, regression; fixed listed
  drift <plan.json>...   drift detection (terraform plan -refresh-only, then terraform show -json): what changed outside Terraform
  rules               list the control catalogue
  run-task            HCP Terraform run task server (posture run-task --help)

options:
  --profile recommended|strict   default: the config file's profile, else recommended
  --config <file>                posture.config.json (found in the working directory by default)
  --format text|json|sarif|junit|markdown   default text; repeat for several (rules: text|json|markdown)
  --output <file>                one per --format, in the same order; default stdout
  --unknown warn|fail            how an unknown verdict counts; default warn
  --fail-on new|any              review only: exit 1 on new and regressed errors (default) or on any failing error
  --synth <cdktf.out>            review, drift: join each plan to its cdktf stack (construct paths, in-code waivers)
  --repo-root <dir>              review, drift: point findings at the repository files that declare their resources
  --pack <file>                  a rule pack module (JS; TS under tsx) to run besides the catalogue; repeatable
  --only <ids>, --skip <ids>     run only / leave out these rules: comma-separated ids or globs (CF-ACC-*)
  --baseline <file>              report only findings not recorded in the baseline; stale entries are listed
  --write-baseline <file>        check only: record today's failing findings as the baseline
  --var NAME=VALUE               check: set a root variable of a Terraform directory (repeatable; as terraform -var)
  --var-file <file>              check: read root variables from a .tfvars or .tfvars.json file (as terraform -var-file)
  --no-color
  --help, --version

A path of - reads Terraform JSON, a plan or a state from standard input (at most POSTURE_MAX_INPUT_BYTES).`;

export function parseArgs(argv: readonly string[]): Args | "help" | "version" {
  if (argv.includes("--help") || argv.includes("-h")) return "help";
  if (argv.includes("--version")) return "version";
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError(`no command given (${COMMANDS.join(", ")})`);
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}" (${COMMANDS.join(", ")})`);
  const args: Args = { command: command as Command, paths: [], formats: [], outputs: [], unknown: "warn", failOn: "new", colour: true, packs: [], variables: [] };
  let failOnGiven = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case "--profile":
        args.profile = oneOf(a, value(), PROFILES);
        break;
      case "--config":
        args.config = value();
        break;
      case "--format": {
        const f = value();
        const allowed: readonly string[] = command === "rules" ? RULES_FORMATS : FORMATS;
        if (!allowed.includes(f)) throw new UsageError(`--format must be one of ${allowed.join(", ")} for ${command}`);
        args.formats.push(f as Format);
        break;
      }
      case "--output":
        args.outputs.push(value());
        break;
      case "--unknown":
        args.unknown = oneOf(a, value(), UNKNOWN_MODES);
        break;
      case "--fail-on":
        args.failOn = oneOf(a, value(), FAIL_ON);
        failOnGiven = true;
        break;
      case "--synth":
        args.synth = value();
        break;
      case "--repo-root":
        args.repoRoot = value();
        break;
      case "--pack":
        args.packs.push(value());
        break;
      case "--only":
      case "--skip": {
        const ids = value()
          .split(",")
          .map((x) => x.trim());
        if (ids.some((x) => x === "")) throw new UsageError(`${a} takes rule ids or globs separated by commas (CF-ACC-*,OKTA-SES-1)`);
        const key = a === "--only" ? "only" : "skip";
        args[key] = [...(args[key] ?? []), ...ids];
        break;
      }
      case "--baseline":
        args.baseline = value();
        break;
      case "--write-baseline":
        args.writeBaseline = value();
        break;
      case "--var": {
        const v = value();
        const m = /^([A-Za-z_][\w-]*)=([\s\S]*)$/.exec(v);
        if (!m) throw new UsageError("--var must be NAME=VALUE");
        args.variables.push({ name: m[1], value: m[2] });
        break;
      }
      case "--var-file":
        args.variables.push({ file: value() });
        break;
      case "--no-color":
      case "--no-colour":
        args.colour = false;
        break;
      default:
        // A lone "-" is standard input (read with the same byte limit as a file).
        if (a.startsWith("-") && a !== "-") throw new UsageError(`unknown option ${a}`);
        args.paths.push(a);
    }
  }
  if (args.formats.length === 0) args.formats.push("text");
  if (args.outputs.length > args.formats.length) throw new UsageError("more --output than --format options (one --output per --format)");
  if (command === "check" && args.paths.length === 0) throw new UsageError("check needs at least one path");
  if (command === "rules" && args.paths.length > 0) throw new UsageError("rules takes no paths");
  if (args.writeBaseline !== undefined && command !== "check") throw new UsageError("--write-baseline is for check: record the baseline from the configuration");
  if (command === "rules" && args.baseline !== undefined) throw new UsageError("--baseline applies to check, review and drift");
  if (args.baseline !== undefined && args.writeBaseline !== undefined) throw new UsageError("give --baseline or --write-baseline, not both");
  if (command !== "check" && args.variables.length > 0) throw new UsageError("--var and --var-file set variables of a configuration given to check; a plan already holds its variables' values");
  if ((command === "review" || command === "drift") && args.paths.length === 0) {
    throw new UsageError(`${command} needs at least one plan JSON (terraform show -json ${command === "drift" ? "of a -refresh-only plan" : "tfplan"})`);
  }
  if ((args.synth !== undefined || args.repoRoot !== undefined) && command !== "review" && command !== "drift") {
    throw new UsageError(`${args.synth !== undefined ? "--synth" : "--repo-root"} applies to review and drift (check reads a cdktf.out directory itself)`);
  }
  // CLI.md lists --fail-on among the options of all commands, with an effect in review only: a shared
  // CI flag set must not break check or drift, so it is accepted there and has no effect.
  args.failOnIgnored = failOnGiven && command !== "review";
  return args;
}
