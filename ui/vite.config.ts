import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The build is plain static files that pgwf's Flask app serves at / (index.html)
// and /assets/ (hashed, cacheable); `npm run dev` proxies the API to a local pgwf.
const api = process.env.PGWF_API ?? "http://127.0.0.1:8080";
const apiPaths = ["/me", "/tasks", "/queues", "/workflows", "/runs", "/approvals",
  "/processes", "/reports", "/health", "/openapi.json"];

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: { outDir: "dist", assetsDir: "assets", emptyOutDir: true, sourcemap: false },
  server: { proxy: Object.fromEntries(apiPaths.map((p) => [p, api])) },
});
