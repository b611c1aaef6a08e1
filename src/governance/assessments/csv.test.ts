import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { authorizeFindingProgress, authorizeFindingVerify } from "../../access/policy/policy.js";
import { csvCell, toCsv } from "./csv.js";

/** A minimal RFC 4180 reader for one line of cells (quotes doubled inside quoted cells). */
function readCells(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = "";
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') (cell += '"'), (i += 2);
        else if (line[i] === '"') {
          i++;
          break;
        } else cell += line[i++];
      }
    } else while (i < line.length && line[i] !== ",") cell += line[i++];
    cells.push(cell);
    if (i >= line.length) return cells;
    i++; // the comma
  }
}

describe("inspection pack CSV", () => {
  it("round-trips any text, and no cell starts as a spreadsheet formula", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), (values) => {
        const line = values.map(csvCell).join(",");
        const back = readCells(line);
        expect(back).toHaveLength(values.length);
        back.forEach((cell, i) => {
          expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
          expect(cell).toBe(/^[=+\-@\t\r]/.test(values[i]!) ? `'${values[i]}` : values[i]);
        });
      }),
    );
  });

  it("keeps numbers, booleans and empty cells as such, with a BOM and CRLF lines", () => {
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(null)).toBe("");
    expect(toCsv(["a", "b"], [[1, "x,y"]])).toBe('\uFEFFa,b\r\n1,"x,y"\r\n');
  });
});

describe("finding policy", () => {
  const owner = { userId: "u-owner", role: "admin" as const };
  const compliance = { userId: "u-compliance", role: "compliance" as const };
  const lawyer = { userId: "u-lawyer", role: "lawyer" as const };
  it("lets the owner or compliance move a finding, nobody else", () => {
    expect(authorizeFindingProgress(owner, { ownerId: owner.userId }).effect).toBe("allow");
    expect(authorizeFindingProgress(compliance, { ownerId: owner.userId }).effect).toBe("allow");
    expect(authorizeFindingProgress(lawyer, { ownerId: owner.userId })).toMatchObject({ effect: "deny", reason: "not_finding_owner" });
  });
  it("lets compliance verify, never the owner", () => {
    expect(authorizeFindingVerify(compliance, { ownerId: owner.userId }).effect).toBe("allow");
    expect(authorizeFindingVerify(compliance, { ownerId: compliance.userId })).toMatchObject({ effect: "deny", reason: "owner_cannot_verify" });
    expect(authorizeFindingVerify(owner, { ownerId: owner.userId })).toMatchObject({ effect: "deny", reason: "role_lacks_permission" });
  });
});
