"use client";

import { useRouter } from "next/navigation";

export function SignOutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      className="rounded border border-panel-border px-2 py-1 focus-visible:outline-2 focus-visible:outline-accent"
      onClick={async () => {
        await fetch("/api/session", { method: "DELETE" });
        router.push("/signin");
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}
