import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { API_ROUTES, PAGE_ROUTES, allowedMethods, matchApiRoute, routeTemplate } from "./routes";

/** Every app/api route file and the methods it exports, read from the source. */
function routesOnDisk(): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === "route.ts") {
        const pattern = `/${relative("app", dir).split("\\").join("/")}`;
        const source = readFileSync(path, "utf8");
        found[pattern] = [...source.matchAll(/export (?:const|async function|function) (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g)].map((match) => match[1]!).sort();
      }
    }
  };
  walk("app/api");
  return found;
}

describe("the API route table", () => {
  it("lists every route in app/api with the methods it exports", () => {
    const table = Object.fromEntries(API_ROUTES.map((route) => [route.pattern, [...route.methods].sort()]));
    expect(table).toEqual(routesOnDisk());
  });

  it("matches paths to routes, segments included", () => {
    expect(matchApiRoute("/api/playlists/lobby/tokens")?.pattern).toBe("/api/playlists/[slug]/tokens");
    expect(matchApiRoute("/api/playlists/%zz")?.pattern).toBe("/api/playlists/[slug]");
    expect(matchApiRoute("/api/nothing")).toBeUndefined();
  });

  it("allows HEAD where GET is allowed, and OPTIONS everywhere", () => {
    expect(allowedMethods(matchApiRoute("/api/health")!)).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(allowedMethods(matchApiRoute("/api/simulator/incidents")!)).toEqual(["POST", "OPTIONS"]);
  });

  it("lists every page in app/", () => {
    const pages: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else if (entry.name === "page.tsx") pages.push(`/${relative("app", dir).split("\\").join("/")}`.replace(/\/$/, "") || "/");
      }
    };
    walk("app");
    expect([...PAGE_ROUTES].sort()).toEqual(pages.sort());
  });

  it("labels paths with route templates, never raw paths", () => {
    expect(routeTemplate("/api/playlists/lobby/tokens")).toBe("/api/playlists/[slug]/tokens");
    expect(routeTemplate("/wall/lobby")).toBe("/wall/[slug]");
    expect(routeTemplate("/")).toBe("/");
    expect(routeTemplate("/metrics")).toBe("/metrics");
    expect(routeTemplate("/_next/static/chunks/abc.js")).toBe("/_next/static");
    expect(routeTemplate("/wp-login.php")).toBe("other");
    expect(routeTemplate("/api/nothing/at/all")).toBe("other");
    expect(routeTemplate("/wall/a/b")).toBe("other");
  });
});
