import { html, nothing, type TemplateResult } from 'lit-html';
import { countyChoices, shownCounty } from '../frame/counties.js';
import { translate, type Locale } from '../i18n/index.js';
import type { Action, AppState } from '../state.js';

/**
 * The top bar's county picker, shown when more than one county is loaded: the choice goes into
 * the state (`chooseCounty`), and the resource layer asks every workspace's data again for it.
 */
export function countyPicker(
  locale: Locale,
  state: AppState,
  dispatch: (action: Action) => void,
): TemplateResult | typeof nothing {
  const choices = countyChoices(state);
  if (choices.length === 0) return nothing;
  const shown = shownCounty(state)?.code ?? null;
  return html`<label class="county-picker" title=${translate(locale, 'county.picker.title')}>
    <span>${translate(locale, 'county.picker')}</span>
    <select
      data-testid="county-picker"
      @change=${(event: Event) =>
        dispatch({ type: 'chooseCounty', countyCode: (event.target as HTMLSelectElement).value })}
    >
      ${choices.map(
        (county) =>
          html`<option value=${county.code} .selected=${county.code === shown}>
            ${county.name} (${county.code})
          </option>`,
      )}
    </select>
  </label>`;
}
