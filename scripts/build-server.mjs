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
  // Modules marked `import "server-only"` are server code by definition; here, as in Next's own
  // server bundles, the marker is its empty module (its default entry throws, for browser bundles).
  alias: { "server-only": "./node_modules/server-only/empty.js" },
  sourcemap: true,
  logLevel: "warning",
});
