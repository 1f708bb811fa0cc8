/**
 * An opt-in cache of parsed HCL for CI re-runs (`POSTURE_CACHE_DIR`, or {@link LoadOptions.cacheDir}):
 * the WASM HCL parser is most of the cost of a large directory, and most files do not change between
 * runs. An entry is keyed by a SHA-256 of the parser's version and the file's exact content, so a
 * changed file or a new parser never reads a stale entry; the file name is not part of the key (the
 * parsed JSON does not depend on it). Entries are written whole (a temporary file renamed into
 * place), an unreadable or corrupt entry is a miss, and a cache that cannot be written only costs speed.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors";

/** Bumped when what is stored changes shape. */
const FORMAT = 1;

export class HclCache {
  private readonly salt: string;

  constructor(private readonly dir: string) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch {
      throw new InputError(dir, "cannot be created (the HCL cache directory, POSTURE_CACHE_DIR)");
    }
    let parser = "unknown";
    try {
      parser = (JSON.parse(readFileSync(require.resolve("@cdktn/hcl2json/package.json"), "utf8")) as { version?: string }).version ?? parser;
    } catch {
      // An unknown parser version still keys entries by content; it only cannot tell two versions apart.
    }
    this.salt = `identity-posture-hcl-cache ${FORMAT} @cdktn/hcl2json ${parser}\u0000`;
  }

  private path(text: string): string {
    return join(this.dir, `${createHash("sha256").update(this.salt).update(text).digest("hex")}.json`);
  }

  /** The parsed JSON of `text`, if an earlier run stored it. */
  get(text: string): unknown {
    try {
      return JSON.parse(readFileSync(this.path(text), "utf8"));
    } catch {
      return undefined;
    }
  }

  /** Stores the parsed JSON of `text`; a failure to write is ignored (the next run parses again). */
  set(text: string, doc: unknown): void {
    const target = this.path(text);
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(doc));
      renameSync(tmp, target);
    } catch {
      // Read-only or full cache directory: speed only.
    }
  }
}
