/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The API serves the built app from api/static at "/" (api/app.py); `npm run dev` proxies the API.
export default defineConfig({
  base: "/",
  build: {
    outDir: "../api/static",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { "/api": process.env.LINKAGE_API ?? "http://127.0.0.1:8000" },
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
