import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * The layering, written down as lint rules so that a wrong arrow fails `npm test`
 * (lib/layering.test.ts proves each rule fires):
 * - lib/domain and lib/contracts are pure: no I/O, nothing from the database, the server or the network;
 * - components never reach the database or the server;
 * - nothing in lib imports the server process (server/ may import lib, never the reverse);
 * - components/ui is presentational: it imports no other components folder, no query cache, no stream;
 * - components/providers (the view, live and wall contexts) import no feature folder;
 * - components/panels never import components/dashboard or components/wall (those compose panels);
 * - no import cycles.
 */
const IO_MODULES = ["node:*", "fs", "fs/*", "http", "https", "net", "child_process", "pg", "@prisma/*", "socket.io", "socket.io-client", "next", "next/*", "react", "react-dom", "@tanstack/*"];
const SERVER = { group: ["@/server", "@/server/*"], message: "lib/ and components/ never import the server process (server/ imports lib/, not the reverse)." };
const DATABASE = { group: ["@/lib/db", "@/lib/db/*"], message: "Only route handlers, server components and server/ reach the database." };

export const LAYER_RULES = [
  {
    files: ["lib/domain/**/*.ts", "lib/contracts/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            SERVER,
            DATABASE,
            { group: ["@/lib/http/*", "@/lib/auth/*", "@/lib/queries/*", "@/lib/realtime/*", "@/lib/env", "@/lib/logger", "@/components/*"], message: "lib/domain and lib/contracts are pure: they import only each other." },
            { group: IO_MODULES, message: "lib/domain and lib/contracts do no I/O and know no framework." },
          ],
        },
      ],
    },
  },
  {
    files: ["components/**/*.{ts,tsx}", "lib/queries/**/*.ts", "lib/realtime/**/*.ts", "lib/i18n/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [SERVER, DATABASE] }] },
  },
  {
    files: ["components/ui/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            SERVER,
            DATABASE,
            { group: ["@/components/*", "!@/components/ui", "../*"], message: "components/ui is presentational: it imports only components/ui; pass data in as props." },
            { group: ["@/lib/queries", "@/lib/queries/*", "@/lib/realtime", "@/lib/realtime/*"], message: "components/ui is presentational: no query cache, no live stream." },
          ],
        },
      ],
    },
  },
  {
    files: ["components/providers/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [SERVER, DATABASE, { group: ["@/components/*", "!@/components/providers", "../*"], message: "components/providers hold the contexts every feature folder reads; they import none of them." }] },
      ],
    },
  },
  {
    files: ["components/panels/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [SERVER, DATABASE, { group: ["@/components/dashboard", "@/components/dashboard/*", "@/components/wall", "@/components/wall/*", "../dashboard/*", "../wall/*"], message: "components/dashboard and components/wall compose panels; a panel never imports them (contexts live in components/providers)." }] },
      ],
    },
  },
  {
    files: ["lib/**/*.ts"],
    ignores: ["lib/domain/**", "lib/contracts/**", "lib/queries/**", "lib/realtime/**", "lib/i18n/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [SERVER] }] },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.ts", "server/**/*.ts"],
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  ...LAYER_RULES,
  globalIgnores([".next/**", "dist/**", ".data/**", "lib/db/generated/**", "next-env.d.ts", "playwright-report/**", "test-results/**"]),
]);
