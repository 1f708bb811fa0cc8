import { goDurationMinutes, isoDurationMinutes } from "../../engine/model/duration";

describe("durations", () => {
  it.each([
    ["PT12H", 720],
    ["PT2H10M", 130],
    ["PT15M", 15],
    ["P1D", 1440],
    ["PT43800H", 43800 * 60],
    ["PT30S", 0.5],
  ])("ISO-8601 %s is %d minutes", (text, minutes) => expect(isoDurationMinutes(text)).toBe(minutes));

  it.each(["", "P", "PT", "12h", "PTXH", "P1H"])("ISO-8601 %j is not a duration", (text) => expect(isoDurationMinutes(text)).toBeUndefined());

  it.each([
    ["24h", 1440],
    ["1h30m", 90],
    ["30m", 30],
    ["0s", 0],
    ["1.5h", 90],
    ["3600s", 60],
  ])("Go %s is %d minutes", (text, minutes) => expect(goDurationMinutes(text)).toBe(minutes));

  it.each(["", "1 day", "24", "h", "1d"])("Go %j is not a duration", (text) => expect(goDurationMinutes(text)).toBeUndefined());
});
