/** The tool's name and version, as every report and `posture --version` print them. */
export const TOOL = { name: "identity-posture", version: "0.1.0" } as const;
