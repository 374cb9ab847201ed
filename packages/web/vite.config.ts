import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev`: the UI with hot reload on :5173, the API proxied to the server on :3000.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
