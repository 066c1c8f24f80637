import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "M2M Pulse",
  description: "Live machine-to-machine connections of China's mobile operators, beside the GSMA report's baselines.",
};

// Every page is rendered per request so that Next.js can put the request's CSP nonce on its
// scripts (server/http-edge.ts); a prerendered page (the 404) would carry none and not run.
export const dynamic = "force-dynamic";

export const viewport: Viewport = { themeColor: "#0b1220" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
