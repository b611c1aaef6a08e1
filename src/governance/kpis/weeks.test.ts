import { describe, expect, it } from "vitest";
import { isoWeekLabel, mondayOf, weeksEndingAt } from "./weeks.js";

const TZ = "Asia/Shanghai";

describe("KPI chart weeks", () => {
  it("label a week by its Thursday's ISO year, across the year's turn", () => {
    expect(isoWeekLabel("2024-12-30")).toBe("2025-W01");
    expect(isoWeekLabel("2026-12-28")).toBe("2026-W53");
    expect(isoWeekLabel("2027-01-04")).toBe("2027-W01");
    expect(isoWeekLabel("2025-07-14")).toBe("2025-W29");
    expect(mondayOf("2025-07-20")).toBe("2025-07-14");
    expect(mondayOf("2025-07-14")).toBe("2025-07-14");
  });

  it("end with the week holding now in the firm's zone: Sunday 23:30 in Beijing is still that week", () => {
    const sundayNight = new Date("2025-07-13T15:30:00.000Z");
    expect(weeksEndingAt(sundayNight, 2, TZ)).toEqual([
      { label: "2025-W27", firstDay: "2025-06-30", endDay: "2025-07-07", from: "2025-06-29T16:00:00.000Z", to: "2025-07-06T16:00:00.000Z" },
      { label: "2025-W28", firstDay: "2025-07-07", endDay: "2025-07-14", from: "2025-07-06T16:00:00.000Z", to: "2025-07-13T16:00:00.000Z" },
    ]);
    expect(weeksEndingAt(new Date("2025-07-13T16:00:00.000Z"), 1, TZ)[0]!.label).toBe("2025-W29");
  });
});
