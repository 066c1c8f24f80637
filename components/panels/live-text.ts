/**
 * Writes for the numbers that update themselves on a tick (useLiveWriter): each compares with what
 * the element shows now (React may have written it last) and touches the DOM only on a change, so
 * an unchanged figure costs no style, layout or paint.
 */

/** Sets the text of an element whose one child is text (as React renders a lone string child). */
export function setText(element: Element | null | undefined, text: string): void {
  if (!element) return;
  const node = element.firstChild;
  if (node && node === element.lastChild && node.nodeType === Node.TEXT_NODE) {
    if (node.nodeValue !== text) node.nodeValue = text;
  } else if (element.textContent !== text) {
    element.textContent = text;
  }
}

/** Sets (or, with null, removes) an attribute. */
export function setAttribute(element: Element | null | undefined, name: string, value: string | null): void {
  if (!element || element.getAttribute(name) === value) return;
  if (value === null) element.removeAttribute(name);
  else element.setAttribute(name, value);
}

/** Sets (or, with null, removes) an inline custom property such as `--cell-bg`. */
export function setStyleProperty(element: HTMLElement | null | undefined, name: `--${string}`, value: string | null): void {
  if (!element) return;
  const now = element.style.getPropertyValue(name);
  if (value === null ? now === "" : now === value) return;
  if (value === null) element.style.removeProperty(name);
  else element.style.setProperty(name, value);
}
