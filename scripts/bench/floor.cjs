// The floor: what any tool must pay to look at a JSON input at all, reading and parsing it once.
JSON.parse(require("node:fs").readFileSync(process.argv[2], "utf8"));
