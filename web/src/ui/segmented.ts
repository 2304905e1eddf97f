import { el } from './dom.js';

/** A row of buttons of which one is pressed. */
export function segmented<V extends string | number>(
  name: string,
  options: readonly { value: V; label: string }[],
  selected: V,
  choose: (value: V) => void,
  disabled = false,
): HTMLElement {
  return el(
    'div',
    { class: 'segmented', role: 'group' },
    ...options.map((option) => {
      const button = el(
        'button',
        {
          type: 'button',
          'aria-pressed': option.value === selected ? 'true' : 'false',
          'data-testid': `${name}-${option.value}`,
          disabled,
        },
        option.label,
      );
      button.addEventListener('click', () => choose(option.value));
      return button;
    }),
  );
}
