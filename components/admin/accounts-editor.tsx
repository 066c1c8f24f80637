"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { ROLES, type Role } from "@/lib/contracts/accounts";
import { accountResponseSchema, accountsResponseSchema, MIN_PASSWORD_LENGTH } from "@/lib/contracts/accounts";
import { fetchJson, sendJson } from "@/lib/queries/fetch-json";
import { TableHead } from "@/components/ui/table-head";

const ACCOUNTS_KEY = ["accounts"] as const;
const input = "rounded border border-panel-border bg-canvas px-2 py-1";

/** Admins create and remove accounts and set their roles and passwords. */
export function AccountsEditor({ self }: { self: string }) {
  const queryClient = useQueryClient();
  const { data, error } = useQuery({ queryKey: ACCOUNTS_KEY, queryFn: ({ signal }) => fetchJson("/api/accounts", accountsResponseSchema, signal) });
  const [problem, setProblem] = useState<string | null>(null);
  const done = {
    onSuccess: () => {
      setProblem(null);
      void queryClient.invalidateQueries({ queryKey: ACCOUNTS_KEY });
    },
    onError: (failure: Error) => setProblem(failure.message),
  };
  const create = useMutation({ mutationFn: (body: { username: string; role: Role; password: string }) => sendJson("POST", "/api/accounts", body, accountResponseSchema), ...done });
  const update = useMutation({
    mutationFn: ({ id, ...body }: { id: number; role?: Role; password?: string }) => sendJson("PATCH", `/api/accounts/${id}`, body, accountResponseSchema),
    ...done,
  });
  const remove = useMutation({ mutationFn: (id: number) => sendJson("DELETE", `/api/accounts/${id}`, undefined, z.object({ account: z.unknown() })), ...done });

  if (error) return <p role="alert" className="text-warn">{error.message}</p>;
  return (
    <div className="space-y-6">
      {problem ? <p role="alert" className="text-warn">{problem}</p> : null}
      <div className="overflow-x-auto rounded-lg border border-panel-border bg-panel">
        <table className="w-full text-sm">
          <TableHead headings={["Account", "Role", "Password changed", ""]} />
          <tbody>
            {(data?.accounts ?? []).map((account) => (
              <tr key={account.id} data-account={account.username} className="border-t border-panel-border">
                <td className="px-3 py-2 font-mono">{account.username}</td>
                <td className="px-3 py-2">
                  <select
                    aria-label={`Role of ${account.username}`}
                    className={input}
                    value={account.role}
                    onChange={(event) => update.mutate({ id: account.id, role: event.target.value as Role })}
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="px-3 py-2">
                  {new Date(account.passwordChangedAt).toLocaleString()}
                  {account.mustChangePassword ? " (one-time)" : ""}
                </td>
                <td className="space-x-2 px-3 py-2 text-right">
                  <button
                    type="button"
                    className="rounded border border-panel-border px-2 py-1"
                    onClick={() => {
                      const password = window.prompt(`New password for ${account.username} (at least ${MIN_PASSWORD_LENGTH} characters); their sessions end`);
                      if (password) update.mutate({ id: account.id, password });
                    }}
                  >
                    Set password
                  </button>
                  <button
                    type="button"
                    className="rounded border border-panel-border px-2 py-1 disabled:opacity-50"
                    disabled={account.username === self}
                    onClick={() => {
                      if (window.confirm(`Remove ${account.username}? Their sessions end at once.`)) remove.mutate(account.id);
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="flex flex-wrap items-end gap-3 rounded-lg border border-panel-border bg-panel p-4 text-sm"
        onSubmit={(event) => {
          event.preventDefault();
          const formElement = event.currentTarget;
          const form = new FormData(formElement);
          create.mutate(
            { username: String(form.get("username") ?? ""), role: String(form.get("role") ?? "viewer") as Role, password: String(form.get("password") ?? "") },
            { onSuccess: () => formElement.reset() },
          );
        }}
      >
        <label className="block">
          User name
          <input name="username" required maxLength={40} pattern="[a-z0-9][a-z0-9._\-]{0,39}" className={`mt-1 block ${input}`} />
        </label>
        <label className="block">
          Role
          <select name="role" defaultValue="operator" className={`mt-1 block ${input}`}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          Password
          <input name="password" type="password" required minLength={MIN_PASSWORD_LENGTH} maxLength={200} autoComplete="new-password" className={`mt-1 block ${input}`} />
        </label>
        <button type="submit" className="rounded bg-accent px-3 py-1 font-medium text-canvas">
          Create account
        </button>
      </form>
    </div>
  );
}
