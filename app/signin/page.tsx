import type { Metadata } from "next";
import { SignInForm } from "@/components/admin/sign-in-form";

export const metadata: Metadata = { title: "M2M Pulse · sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = (await searchParams).next;
  // Only a path on this site: never send someone elsewhere after signing in.
  const target = typeof next === "string" && next.startsWith("/") && !next.startsWith("//") ? next : "/";
  return (
    <div data-theme="dark" className="grid min-h-screen place-items-center bg-canvas text-ink">
      <main className="w-full max-w-sm space-y-4 rounded-lg border border-panel-border bg-panel p-6">
        <h1 className="text-xl font-bold">M2M Pulse</h1>
        <SignInForm next={target} />
      </main>
    </div>
  );
}
