import type { Page } from "@playwright/test";

export interface TextChange {
  text: string;
  /** performance.now() in the page when the change reached the DOM. */
  at: number;
}

declare global {
  interface Window {
    __textChanges?: Record<string, TextChange[]>;
  }
}

/**
 * Records, inside the page, every change of the text of the first element matching each selector,
 * with the page's own clock. Timestamps taken in the page do not depend on how often the test
 * looks, nor on how busy the test process is. Call before `page.goto`; the page's changes are
 * recorded from the end of its HTML's parsing (the elements' state then is the first entry).
 */
export async function recordTextChanges(page: Page, selectors: string[]) {
  await page.addInitScript((watched: string[]) => {
    const changes: Record<string, TextChange[]> = Object.fromEntries(watched.map((selector) => [selector, []]));
    window.__textChanges = changes;
    const look = () => {
      const at = performance.now();
      for (const selector of watched) {
        const text = document.querySelector(selector)?.textContent ?? null;
        const list = changes[selector]!;
        if (text !== null && list.at(-1)?.text !== text) list.push({ text, at });
      }
    };
    // From the end of parsing: while the HTML parser is still adding an element's text nodes (it may
    // stop between them), the element would be seen with part of its text, or none.
    const watch = () => {
      look();
      new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch, { once: true });
    else watch();
  }, selectors);
  return {
    /** The changes recorded so far for `selector`. */
    of: (selector: string) => page.evaluate((watched) => window.__textChanges?.[watched] ?? [], selector),
    /** The page's clock now, comparable with `at`. */
    now: () => page.evaluate(() => performance.now()),
  };
}
