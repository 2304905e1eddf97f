import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import type { PlanDetail, TownshipSummary } from './state.js';
import { minutesText, numberText, shareText, table, th, type GridView } from './common.js';

/**
 * The township picker: every township of the plan with its figures (grids, households, share
 * within ±10 %, non-contiguous grids, unassigned households, village splits, longest drive);
 * a click opens it on the map. Under it, why the chosen township misses its targets.
 */
export function townshipView(view: GridView, plan: PlanDetail): TemplateResult {
  const { t, state, dispatch } = view;
  const chosen = plan.townships.find((tw) => tw.code === state.townshipCode);
  const select = (event: Event) =>
    dispatch({ type: 'grids/selectTownship', townshipCode: (event.target as HTMLSelectElement).value || null });
  return html`<div class="townships" data-testid="grid-townships">
    <div class="row township-bar">
      <label
        >${t('grids.township.label')}<select name="township" data-testid="grid-township-select" @change=${select}>
          <option value="" .selected=${live(state.townshipCode === null)}>${t('grids.township.all')}</option>
          ${plan.townships.map(
            (tw) =>
              html`<option value=${tw.code} .selected=${live(tw.code === state.townshipCode)}>${tw.name}</option>`,
          )}
        </select></label
      >
    </div>
    <div class="scroll short">
      ${table(
        [
          t('grids.township.name'),
          th('number', t('grids.township.grids')),
          th('number', t('grids.township.households')),
          th('number', t('grids.township.within10'), t('grids.township.within10.title')),
          th('number', t('grids.township.nonContiguous'), t('grids.township.nonContiguous.title')),
          th('number', t('grids.township.unassigned'), t('grids.township.unassigned.title')),
          th('number', t('grids.township.splits'), t('grids.township.splits.title')),
          th('number', t('grids.township.drive'), t('grids.township.drive.title')),
        ],
        plan.townships.map((tw) => townshipRow(view, tw)),
        { className: 'clickable township-table' },
      )}
    </div>
    ${chosen ? explanations(view, chosen) : nothing}
  </div>`;
}

function townshipRow(view: GridView, tw: TownshipSummary): TemplateResult {
  const { state, dispatch } = view;
  return html`<tr
    class=${tw.code === state.townshipCode ? 'selected' : ''}
    data-testid="grid-township-row"
    data-code=${tw.code}
    @click=${() =>
      dispatch({ type: 'grids/selectTownship', townshipCode: tw.code === state.townshipCode ? null : tw.code })}
  >
    <td>${tw.name}</td>
    <td class="number">${numberText(view, tw.grids)}</td>
    <td class="number">${numberText(view, tw.households)}</td>
    <td class=${`number${tw.within10 < 0.95 ? ' warn-text' : ''}`}>${shareText(view, tw.within10)}</td>
    <td class=${`number${tw.nonContiguous > 0 ? ' bad-text' : ''}`}>${numberText(view, tw.nonContiguous)}</td>
    <td class=${`number${tw.unassignedUnits > 0 ? ' bad-text' : ''}`}>${numberText(view, tw.unassignedHouseholds)}</td>
    <td class="number">${numberText(view, tw.villageSplits)}</td>
    <td class="number">${minutesText(view, tw.maxGridDriveMinutes)}</td>
  </tr>`;
}

/** Why a township misses its targets, in the reader's language. */
function explanations(view: GridView, tw: TownshipSummary): TemplateResult {
  const { t, locale } = view;
  return html`<div class="explanations" data-testid="grid-explanations">
    <h3>
      ${t('grids.township.title', {
        name: tw.name,
        grids: numberText(view, tw.grids),
        households: numberText(view, tw.households),
        units: numberText(view, tw.units),
      })}
    </h3>
    ${
      tw.explanations.length === 0
        ? html`<p class="small ok">${t('grids.township.allMet')}</p>`
        : html`<ul>
            ${tw.explanations.map((e) => html`<li data-testid="grid-explanation">${locale === 'en' ? e.en : e.zh}</li>`)}
          </ul>`
    }
  </div>`;
}
