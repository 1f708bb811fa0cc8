// Preloaded into each measured process (node -r): reports its peak resident set size on exit.
process.on("exit", () => {
  process.stderr.write(`\n__PEAK_RSS_KB__ ${process.resourceUsage().maxRSS}\n`);
});
