#!/usr/bin/env node
// Regenerates data/okta-event-types.json from Okta's event-type catalogue (../shared/data/okta-event-types.tsv):
// which System Log event types exist, and which of them event hooks may subscribe to.
import { readFileSync, writeFileSync } from "node:fs";

export function eventTypesFromTsv(tsv) {
  const eligible = [];
  const notEligible = [];
  for (const line of tsv.split("\n")) {
    if (!line || line.startsWith("#") || line.startsWith("event_type\t")) continue;
    const [id, hook] = line.split("\t");
    (hook === "yes" ? eligible : notEligible).push(id);
  }
  return { source: "okta/okta-developer-docs data/event-types.json, release 2026.08.1", hookEligible: eligible.sort(), notHookEligible: notEligible.sort() };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const src = process.argv[2] ?? "../shared/data/okta-event-types.tsv";
  writeFileSync("data/okta-event-types.json", JSON.stringify(eventTypesFromTsv(readFileSync(src, "utf8")), null, 1) + "\n");
}
