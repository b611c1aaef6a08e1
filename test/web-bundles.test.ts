/**
 * The client portal's pages load none of the staff console's code or catalogues (issue #15): a
 * client's browser never receives the console's screens, its API calls or its wording. Read from
 * the build's chunk map (dist/web-chunks.json, written by web/vite.config.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface Chunk {
  entry: string | null;
  imports: string[];
  dynamicImports: string[];
  modules: string[];
}
const MAP = new URL("../dist/web-chunks.json", import.meta.url).pathname;

/** Every module a page can load: its entry chunk and all the chunks it imports, statically or lazily. */
function modulesOf(chunks: Record<string, Chunk>, entry: string): string[] {
  const start = Object.keys(chunks).find((f) => chunks[f]!.entry === entry);
  expect(start, `no entry chunk named ${entry}`).toBeDefined();
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of [...chunks[file]!.imports, ...chunks[file]!.dynamicImports]) walk(next);
  };
  walk(start!);
  return [...seen].flatMap((f) => chunks[f]!.modules);
}

const PORTAL_AREAS = new Set(["common", "portal", "partners", "files", "privacyTeam", "pickers", "roles", "codes"]);

describe("web bundles", () => {
  it("the portal loads no console module and only the portal's catalogues", () => {
    expect(existsSync(MAP), "dist/web-chunks.json: run npm run build:web").toBe(true);
    const chunks = JSON.parse(readFileSync(MAP, "utf8")) as Record<string, Chunk>;
    const portal = modulesOf(chunks, "portal");
    expect(portal.some((m) => m.startsWith("web/portal/"))).toBe(true);
    expect(portal.filter((m) => m.startsWith("web/console/"))).toEqual([]);
    const areas = new Set(portal.map((m) => /^web\/locales\/[^/]+\/([^/]+)\.json$/.exec(m)?.[1]).filter((a): a is string => !!a));
    expect([...areas].filter((a) => !PORTAL_AREAS.has(a))).toEqual([]);
    // The console, by contrast, does carry its screens and every catalogue: the check can tell them apart.
    const console = modulesOf(chunks, "console");
    expect(console.some((m) => m.startsWith("web/console/pages/"))).toBe(true);
    expect(console.some((m) => m === "web/locales/zh-CN/clients.json")).toBe(true);
  });
});
