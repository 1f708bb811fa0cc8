#!/usr/bin/env node
/**
 * The `posture` command. Exit codes (CLI.md): 0 no failing error finding, 1 at least one, 2 the
 * command could not do its job (bad usage, unreadable or malformed input, invalid config), with a
 * one- or two-line message and no stack trace unless POSTURE_DEBUG=1.
 */
import { InputError, UsageError } from "../engine/errors";
import { TOOL } from "../report/tool";
import { parseArgs, USAGE } from "./args";

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  env: NodeJS.ProcessEnv;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  // The commands are required when one runs: `--help` and `--version` load only the argument parser.
  const held: { redactor?: { text(s: string): string } } = {};
  const redact = (s: string): string => (held.redactor ? held.redactor.text(s) : s);
  try {
    if (argv[0] === "run-task") return await (require("./run-task/command") as typeof import("./run-task/command")).runTaskCommand(argv.slice(1), io);
    const args = parseArgs(argv);
    if (args === "help") {
      io.stdout(USAGE + "\n");
      return 0;
    }
    if (args === "version") {
      io.stdout(`${TOOL.name} ${TOOL.version}\n`);
      return 0;
    }
    // `rules` reads no input.
    const forget = args.command === "rules" ? undefined : readInputsAhead(args.paths, io.env);
    try {
      return await (require("./commands") as typeof import("./commands")).execute(args, io, held);
    } finally {
      forget?.();
    }
  } catch (e) {
    if (e instanceof InputError || e instanceof UsageError) {
      io.stderr(redact(`posture: ${e.message}\n`));
      if (e instanceof UsageError) io.stderr("run 'posture --help' for usage\n");
    } else {
      io.stderr("posture: internal error; nothing was written (set POSTURE_DEBUG=1 for details)\n");
    }
    if (io.env.POSTURE_DEBUG === "1" && e instanceof Error && !(e instanceof InputError) && !(e instanceof UsageError)) io.stderr(redact(`${e.stack ?? e.message}\n`));
    return 2;
  }
}

/**
 * Begins reading the first input (in the order the commands load them: sorted) while the engine
 * loads: on a large plan the read and the module loading (tens of milliseconds each) overlap. One
 * file only: no more memory or open files than reading them in turn, and little wasted when the run
 * stops before it loads anything. The loaders take what was read; a path that is not a regular file
 * within the limit is read, or refused, as it would be otherwise. Gives the function that forgets
 * what the run did not take, so no later run can take it.
 */
function readInputsAhead(paths: readonly string[], env: NodeJS.ProcessEnv): () => void {
  const { forgetReadAhead, inputLimit, readAhead, STDIN_PATH } = require("../engine/load/read-input") as typeof import("../engine/load/read-input");
  const limit = inputLimit(env);
  const first = [...new Set(paths)].sort()[0];
  if (limit === undefined || first === undefined || first === STDIN_PATH || first.endsWith(".tf")) return () => {};
  readAhead(first, limit);
  return () => forgetReadAhead(first);
}

if (require.main === module) {
  // A reader that stops early (`posture check . | head`) closes the pipe: stop quietly, no stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
    });
  }
  run(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTty: !!process.stdout.isTTY,
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
