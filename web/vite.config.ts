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

/** Two pages, one build: the staff console at / and the client portal at /portal/. Served by Custodia itself. */
export default defineConfig({
  root: here("."),
  base: "/",
  plugins: [react(), precompress()],
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
