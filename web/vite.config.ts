import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Writes .br and .gz beside each asset; @fastify/static serves them to browsers that accept them. */
const precompress = (): Plugin => ({
  name: "custodia-precompress",
  apply: "build",
  writeBundle(options) {
    const dir = join(options.dir!, "assets");
    for (const file of readdirSync(dir).filter((f) => /\.(js|css|svg)$/.test(f))) {
      const body = readFileSync(join(dir, file));
      writeFileSync(join(dir, `${file}.br`), brotliCompressSync(body));
      writeFileSync(join(dir, `${file}.gz`), gzipSync(body, { level: 9 }));
    }
  },
});

/**
 * Writes dist/web-chunks.json (beside the served folder, not in it): each chunk's modules and the
 * chunks it imports, so a test can prove the portal's pages load none of the console's code.
 */
const chunkMap = (): Plugin => ({
  name: "custodia-chunk-map",
  apply: "build",
  writeBundle(options, bundle) {
    const root = here("..");
    const chunks: Record<string, { entry: string | null; imports: string[]; dynamicImports: string[]; modules: string[] }> = {};
    for (const [file, chunk] of Object.entries(bundle)) {
      if (chunk.type !== "chunk") continue;
      chunks[file] = {
        entry: chunk.isEntry ? chunk.name : null,
        imports: chunk.imports,
        dynamicImports: chunk.dynamicImports,
        modules: Object.keys(chunk.modules).map((id) => (id.startsWith(root) ? id.slice(root.length) : id)),
      };
    }
    writeFileSync(join(options.dir!, "..", "web-chunks.json"), `${JSON.stringify(chunks, null, 1)}\n`);
  },
});

/** Two pages, one build: the staff console at / and the client portal at /portal/. Served by Custodia itself. */
export default defineConfig({
  root: here("."),
  base: "/",
  plugins: [react(), precompress(), chunkMap()],
  build: {
    outDir: here("../dist/web"),
    emptyOutDir: true,
    // No inline data: URLs for assets: the CSP allows images from 'self' and data: only for antd's SVG icons.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
    rollupOptions: { input: { console: here("index.html"), portal: here("portal/index.html") } },
  },
  logLevel: "warn",
});
