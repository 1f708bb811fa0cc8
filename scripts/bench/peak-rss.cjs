// Preloaded into each measured process (node -r): reports its peak resident set size and the CPU time
// (user + system) it used, on exit.
process.on("exit", () => {
  const u = process.resourceUsage();
  process.stderr.write(`\n__PEAK_RSS_KB__ ${u.maxRSS} __CPU_US__ ${u.userCPUTime + u.systemCPUTime}\n`);
});
