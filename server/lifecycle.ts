import { createLogger } from "@/lib/logger";

const log = createLogger("lifecycle");

type Step = { name: string; run: () => Promise<void> | void };

/**
 * Remembers what the start sequence brought up and takes it down in reverse order: stop
 * accepting, close sockets, flush, close the database, stop the embedded database.
 * A step that fails is logged and the rest still run.
 */
export class Lifecycle {
  private readonly steps: Step[] = [];
  private stopping: Promise<void> | undefined;

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Registers a step to run at shutdown, before every step registered earlier. */
  onShutdown(name: string, run: Step["run"]): void {
    this.steps.push({ name, run });
  }

  shutdown(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      log.info("shutting down", { reason });
      for (const step of [...this.steps].reverse()) {
        const started = performance.now();
        try {
          await step.run();
          log.debug("stopped", { step: step.name, ms: Math.round(performance.now() - started) });
        } catch (error) {
          log.error("shutdown step failed", { step: step.name, error: error instanceof Error ? error.message : String(error) });
        }
      }
      log.info("stopped");
    })();
    return this.stopping;
  }
}
