import type { Metadata } from "next";
import { DocumentLanguage } from "@/components/admin/document-language";
import { SignInForm } from "@/components/admin/sign-in-form";
import { parseDashboardView } from "@/lib/domain/dashboard-url";
import { MESSAGES } from "@/lib/i18n/messages";
import { localPath } from "@/lib/auth/access";

export const metadata: Metadata = { title: "M2M Pulse · sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = params.next;
  const { lang } = parseDashboardView({ lang: params.lang }).view;
  // Only a path on this site: never send someone elsewhere after signing in.
  const target = localPath(next) ?? "/";
  return (
    <div data-theme="dark" className="grid min-h-screen place-items-center bg-canvas text-ink">
      <main className="w-full max-w-sm space-y-4 rounded-lg border border-panel-border bg-panel p-6">
        <DocumentLanguage lang={lang} />
        <h1 className="text-xl font-bold">{MESSAGES[lang].title}</h1>
        <h2 className="text-base font-semibold">{MESSAGES[lang].admin.signIn.title}</h2>
        <SignInForm next={target} lang={lang} />
      </main>
    </div>
  );
}
