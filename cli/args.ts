/** Command-line parsing for `posture` (CLI.md). Any mistake is a UsageError (exit 2). */
import { UsageError } from "../engine/errors";
import { PROFILES, type Profile } from "../policies/rule";

export const COMMANDS = ["check", "review", "drift", "rules"] as const;
export type Command = (typeof COMMANDS)[number];
export const FORMATS = ["text", "json", "sarif", "junit", "markdown"] as const;
export type Format = (typeof FORMATS)[number];
const RULES_FORMATS: readonly Format[] = ["text", "json", "markdown"];

export interface Args {
  command: Command;
  paths: string[];
  profile?: Profile;
  config?: string;
  formats: Format[];
  outputs: string[];
  unknown: "warn" | "fail";
  /** review only: fail on new and regressed findings (default) or on any failing finding. */
  failOn: "new" | "any";
  /** --fail-on was given to a command other than review, where it has no effect. */
  failOnIgnored?: boolean;
  colour: boolean;
}

export const USAGE = `usage: posture <command> [options]

commands:
  check <path>...     evaluate configuration: a cdktf.out directory, *.tf.json, a directory of *.tf, plan or state JSON
  review <plan.json>  PR plan review (terraform show -json tfplan): findings labelled new, existing, regression; fixed listed
  drift <plan.json>   drift detection (terraform plan -refresh-only, then terraform show -json): what changed outside Terraform
  rules               list the control catalogue

options:
  --profile recommended|strict   default: the config file's profile, else recommended
  --config <file>                posture.config.json (found in the working directory by default)
  --format text|json|sarif|junit|markdown   default text; repeat for several (rules: text|json|markdown)
  --output <file>                one per --format, in the same order; default stdout
  --unknown warn|fail            how an unknown verdict counts; default warn
  --fail-on new|any              review only: exit 1 on new and regressed errors (default) or on any failing error
  --no-color
  --help, --version

A path of - reads Terraform JSON, a plan or a state from standard input (at most POSTURE_MAX_INPUT_BYTES).`;

export function parseArgs(argv: readonly string[]): Args | "help" | "version" {
  if (argv.includes("--help") || argv.includes("-h")) return "help";
  if (argv.includes("--version")) return "version";
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError(`no command given (${COMMANDS.join(", ")})`);
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}" (${COMMANDS.join(", ")})`);
  const args: Args = { command: command as Command, paths: [], formats: [], outputs: [], unknown: "warn", failOn: "new", colour: true };
  let failOnGiven = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case "--profile": {
        const p = value();
        if (!PROFILES.includes(p as Profile)) throw new UsageError(`--profile must be ${PROFILES.join(" or ")}`);
        args.profile = p as Profile;
        break;
      }
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
      case "--unknown": {
        const u = value();
        if (u !== "warn" && u !== "fail") throw new UsageError("--unknown must be warn or fail");
        args.unknown = u;
        break;
      }
      case "--fail-on": {
        const f = value();
        if (f !== "new" && f !== "any") throw new UsageError("--fail-on must be new or any");
        args.failOn = f;
        failOnGiven = true;
        break;
      }
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
  if ((command === "review" || command === "drift") && args.paths.length !== 1) {
    throw new UsageError(`${command} takes exactly one plan JSON (terraform show -json ${command === "drift" ? "of a -refresh-only plan" : "tfplan"})`);
  }
  // CLI.md lists --fail-on among the options of all commands, with an effect in review only: a shared
  // CI flag set must not break check or drift, so it is accepted there and has no effect.
  args.failOnIgnored = failOnGiven && command !== "review";
  return args;
}
