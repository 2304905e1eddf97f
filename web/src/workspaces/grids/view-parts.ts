import { html, noChange, type ElementPart, type TemplateResult } from 'lit-html';
import { Directive, directive, PartType, type PartInfo } from 'lit-html/directive.js';

/*
 * Parts of the lit-html views shared by the risk, holidays and grids workspaces (kept here until
 * a shared place for lit parts exists beside ui/).
 */

/**
 * A row of buttons of which one is pressed, as a lit-html template (the same markup as
 * `ui/segmented.ts`, which the workspaces still drawn with `el()` use).
 */
export function segmentedView<V extends string | number>(
  name: string,
  options: readonly { value: V; label: string }[],
  selected: V,
  choose: (value: V) => void,
  disabled = false,
): TemplateResult {
  // The label is the button's whole text, without the spaces a formatted template would add.
  return html`<div class="segmented" role="group">
    ${options.map(
      (option) =>
        html`<button
          type="button"
          aria-pressed=${option.value === selected ? 'true' : 'false'}
          data-testid=${`${name}-${option.value}`}
          ?disabled=${disabled}
          @click=${() => choose(option.value)}
          .textContent=${option.label}
        ></button>`,
    )}
  </div>`;
}

/**
 * `<span ${cssProperties({ background: colour })}>`: inline style through the CSSOM on every
 * render. The Content-Security-Policy refuses `style` attributes, and lit's own `styleMap` writes
 * one on its first render; CSSOM properties are allowed. Keys are CSS property names.
 */
class CssProperties extends Directive {
  private previous: Readonly<Record<string, string>> = {};

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('cssProperties goes on an element: <span ${cssProperties(…)}>');
  }

  render(_properties: Readonly<Record<string, string>>): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [properties]: [Readonly<Record<string, string>>]): typeof noChange {
    const style = (part.element as HTMLElement).style;
    for (const name of Object.keys(this.previous)) if (!(name in properties)) style.removeProperty(name);
    for (const [name, value] of Object.entries(properties)) {
      if (this.previous[name] !== value) style.setProperty(name, value);
    }
    this.previous = properties;
    return noChange;
  }
}

export const cssProperties = directive(CssProperties);

/** A failed request's message with a retry button (grids and holidays). */
export function retryLine(testId: string, message: string, retryLabel: string, retry: () => void): TemplateResult {
  return html`<p class="error" data-testid=${testId}>
    ${message}
    <button type="button" class="link" @click=${retry}>${retryLabel}</button>
  </p>`;
}
