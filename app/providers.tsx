"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { z } from "zod";
import { getQueryClient } from "@/lib/queries/query-client";

// zod probes for eval with `new Function` before its first parse; under the CSP (no
// 'unsafe-eval') that probe is a reported violation, so tell zod not to try.
z.config({ jitless: true });

export function Providers({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={getQueryClient()}>{children}</QueryClientProvider>;
}
