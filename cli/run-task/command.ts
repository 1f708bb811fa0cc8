/**
 * `posture run-task`: parses its options, loads the HMAC key and the configs (any problem is a usage
 * or input error, exit 2, before the port is opened), serves until SIGTERM or SIGINT, then drains.
 */
import { readFileSync } from "node:fs";
import { UsageError, InputError } from "../../engine/errors";
import { PROFILES, type Profile } from "../../policies/rule";
import { FAIL_ON, oneOf, UNKNOWN_MODES } from "../args";
import { configDirectory, singleConfig } from "./configs";
import { TrustedOrigins } from "./http-client";
import { jsonLogger } from "./log";
import { type RunTaskServerOptions, startRunTaskServer } from "./server";

export const RUN_TASK_USAGE = `usage: posture run-task --hmac-key-file <file> [options]

HCP Terraform / Terraform Enterprise run task (post-plan): POST / receives runs, GET /healthz reports health.

options:
  --hmac-key-file <file>     the run task's HMAC key (required; requests without a valid X-TFC-Task-Signature get 401)
  --port <n>                 default 8080
  --host <address>           default 0.0.0.0
  --config <file>            one posture.config.json for every workspace
  --config-dir <dir>         <org>/<workspace>/posture.config.json, <org>/posture.config.json, posture.config.json
  --hcp-url <url>            origin that may receive run tokens; repeat for several (default https://app.terraform.io)
  --profile recommended|strict   overrides the config's profile
  --unknown warn|fail        default warn
  --fail-on new|any          default new
  --concurrency <n>          reviews at once, default 2
  --queue-size <n>           accepted requests waiting, default 64 (then 503)
  --max-plan-bytes <n>       default 268435456 (256 MiB)
  --fetch-timeout <seconds>  plan download time limit, default 60
  --drain-timeout <seconds>  on SIGTERM, time to finish accepted requests, default 30`;

export interface RunTaskArgs {
  hmacKeyFile: string;
  port: number;
  host: string;
  config?: string;
  configDir?: string;
  hcpUrls: string[];
  profile?: Profile;
  unknown: (typeof UNKNOWN_MODES)[number];
  failOn: (typeof FAIL_ON)[number];
  concurrency: number;
  queueSize: number;
  maxPlanBytes: number;
  fetchTimeoutMs: number;
  drainMs: number;
}

export function parseRunTaskArgs(argv: readonly string[]): RunTaskArgs | "help" {
  if (argv.includes("--help") || argv.includes("-h")) return "help";
  const a: Partial<RunTaskArgs> & { hcpUrls: string[] } = { hcpUrls: [] };
  const int = (flag: string, v: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer of at least ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--hmac-key-file":
        a.hmacKeyFile = value();
        break;
      case "--port": {
        a.port = int(flag, value(), 0);
        if (a.port > 65535) throw new UsageError("--port must be at most 65535");
        break;
      }
      case "--host":
        a.host = value();
        break;
      case "--config":
        a.config = value();
        break;
      case "--config-dir":
        a.configDir = value();
        break;
      case "--hcp-url": {
        const u = value();
        let url: URL;
        try {
          url = new URL(u);
        } catch {
          throw new UsageError(`--hcp-url ${u} is not a URL`);
        }
        if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError("--hcp-url must be an http(s) URL");
        a.hcpUrls.push(url.origin);
        break;
      }
      case "--profile":
        a.profile = oneOf(flag, value(), PROFILES);
        break;
      case "--unknown":
        a.unknown = oneOf(flag, value(), UNKNOWN_MODES);
        break;
      case "--fail-on":
        a.failOn = oneOf(flag, value(), FAIL_ON);
        break;
      case "--concurrency":
        a.concurrency = int(flag, value(), 1);
        break;
      case "--queue-size":
        a.queueSize = int(flag, value(), 0);
        break;
      case "--max-plan-bytes":
        a.maxPlanBytes = int(flag, value(), 1);
        break;
      case "--fetch-timeout":
        a.fetchTimeoutMs = int(flag, value(), 1) * 1000;
        break;
      case "--drain-timeout":
        a.drainMs = int(flag, value(), 0) * 1000;
        break;
      default:
        throw new UsageError(flag.startsWith("-") ? `run-task: unknown option ${flag}` : `run-task takes no paths (${flag})`);
    }
  }
  if (!a.hmacKeyFile) throw new UsageError("run-task needs --hmac-key-file: HCP Terraform signs each request with the run task's HMAC key");
  if (a.config && a.configDir) throw new UsageError("give --config or --config-dir, not both");
  return {
    hmacKeyFile: a.hmacKeyFile,
    port: a.port ?? 8080,
    host: a.host ?? "0.0.0.0",
    config: a.config,
    configDir: a.configDir,
    hcpUrls: a.hcpUrls.length ? a.hcpUrls : ["https://app.terraform.io"],
    profile: a.profile,
    unknown: a.unknown ?? "warn",
    failOn: a.failOn ?? "new",
    concurrency: a.concurrency ?? 2,
    queueSize: a.queueSize ?? 64,
    maxPlanBytes: a.maxPlanBytes ?? 256 * 1024 ** 2,
    fetchTimeoutMs: a.fetchTimeoutMs ?? 60_000,
    drainMs: a.drainMs ?? 30_000,
  };
}

/** The key file's bytes without a trailing newline (what `echo key > file` adds). */
export function readHmacKey(file: string): Buffer {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InputError(file, "cannot be read");
  }
  const key = text.replace(/\r?\n$/, "");
  if (key.length === 0) throw new InputError(file, "is empty: it must hold the run task's HMAC key");
  return Buffer.from(key, "utf8");
}

export interface RunTaskIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Runs the server until SIGTERM / SIGINT; resolves with the exit code. */
export async function runTaskCommand(argv: readonly string[], io: RunTaskIo): Promise<number> {
  const args = parseRunTaskArgs(argv);
  if (args === "help") {
    io.stdout(RUN_TASK_USAGE + "\n");
    return 0;
  }
  const hmacKey = readHmacKey(args.hmacKeyFile);
  const configs = args.configDir ? configDirectory(args.configDir) : singleConfig(args.config);
  const log = jsonLogger(io.stderr);
  const options: RunTaskServerOptions = {
    hmacKey,
    configs,
    trusted: new TrustedOrigins(args.hcpUrls),
    log,
    concurrency: args.concurrency,
    queueSize: args.queueSize,
    maxPlanBytes: args.maxPlanBytes,
    fetchTimeoutMs: args.fetchTimeoutMs,
    profile: args.profile,
    unknown: args.unknown,
    failOn: args.failOn,
    today: io.env.POSTURE_TODAY ? () => io.env.POSTURE_TODAY! : undefined,
  };
  const server = await startRunTaskServer(options, args.port, args.host).catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`${args.host}:${args.port}`, `cannot be listened on (${e.code ?? e.message})`);
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
      log.log("info", "signal received", { signal });
      resolve();
    };
    const onTerm = () => stop("SIGTERM");
    const onInt = () => stop("SIGINT");
    process.on("SIGTERM", onTerm);
    process.on("SIGINT", onInt);
  });
  await server.close(args.drainMs);
  return 0;
}
