import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { readPackage } from "./zip.js";

describe("readPackage", () => {
  it("inflates every entry within the budget", async () => {
    const zip = new JSZip().file("a.xml", "x".repeat(5000)).file("b/c.xml", "yz");
    const entries = await readPackage(await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }), { left: 5002 });
    expect([...entries.keys()]).toEqual(["a.xml", "b/c.xml"]);
    expect(entries.get("b/c.xml")!.toString()).toBe("yz");
  });

  it("refuses a package that expands beyond its budget, whatever its compressed size", async () => {
    const bomb = await new JSZip().file("a.xml", Buffer.alloc(4 * 1024 * 1024)).generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
    expect(bomb.length).toBeLessThan(10_000);
    await expect(readPackage(bomb, { left: 1024 * 1024 })).rejects.toMatchObject({ code: "redaction_too_large" });
  });

  it("tells a password-protected Office file (an OLE container) from a damaged one", async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    await expect(readPackage(ole, { left: 1e6 })).rejects.toMatchObject({ code: "redaction_encrypted" });
    await expect(readPackage(Buffer.from("PK\u0003\u0004 not really"), { left: 1e6 })).rejects.toMatchObject({ code: "redaction_corrupt" });
  });
});
