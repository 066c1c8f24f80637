// Bundles server/main.ts (and the lib/ code it uses) into dist/server.js. Packages stay
// external and are loaded from node_modules at run time, exactly as Next.js loads them.
import { build } from "esbuild";

await build({
  entryPoints: ["server/main.ts"],
  outfile: "dist/server.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
