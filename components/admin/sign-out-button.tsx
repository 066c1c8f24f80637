"use client";

import { useRouter } from "next/navigation";

export function SignOutButton({ label, signInPath }: { label: string; signInPath: string }) {
  const router = useRouter();
  return (
    <button
      type="button"
      className="rounded border border-panel-border px-2 py-1 focus-visible:outline-2 focus-visible:outline-accent"
      onClick={async () => {
        await fetch("/api/session", { method: "DELETE" });
        router.push(signInPath);
        router.refresh();
      }}
    >
      {label}
    </button>
  );
}
