import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { contractValidators } from "./build/validators-plugin";

// `npm run dev`: the UI with hot reload on :5173, the API proxied to the server on :3000.
export default defineConfig({
  plugins: [react(), contractValidators()],
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
  // The generated validators import Ajv's CommonJS helpers: the dev server pre-bundles them.
  optimizeDeps: { include: ["ajv/dist/runtime/ucs2length.js", "ajv-formats/dist/formats.js"] },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
