type Child = Node | string | null | undefined | false;

/**
 * Create an element with attributes and children; strings become text nodes (never HTML). A
 * `style` is set through the CSSOM (`style.cssText`), which the Content-Security-Policy allows
 * without `style-src-attr 'unsafe-inline'` (a `style` attribute would be refused).
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'style') element.style.cssText = value === true ? '' : value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}
