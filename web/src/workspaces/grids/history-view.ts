import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { compareWith, currentComparison, type PlanDetail } from './state.js';
import { errorLine, numberText, table, th, type GridView } from './common.js';

/** Moves listed at most (the whole comparison is in the download of either plan). */
const MOVES_SHOWN = 200;

/** The plan's revisions, newest first: number, what, who, when; undone ones marked. */
export function historyView(view: GridView, plan: PlanDetail): TemplateResult {
  const { t, state } = view;
  const error = errorLine(view, 'revisions', state.fetched.revisions);
  const revisions = state.fetched.revisions.data;
  if (!revisions) {
    return html`<div class="grid-history" data-testid="grid-history">
      <h3>${t('grids.history.title')}</h3>
      ${error} ${error === nothing ? html`<p class="muted">${t('grids.history.loading')}</p>` : nothing}
    </div>`;
  }
  const rows = revisions.map(
    (r) =>
      html`<tr
        data-testid="grid-revision-row"
        data-revision=${String(r.revision)}
        class=${r.revision === plan.revision ? 'selected' : ''}
      >
        <td class="number">${r.revision}</td>
        <td>
          ${r.summary}${
            r.undoes !== null
              ? html`<span class="badge">${t('grids.history.undoes', { revision: r.undoes })}</span>`
              : nothing
          }${
            r.redoes !== null
              ? html`<span class="badge">${t('grids.history.redoes', { revision: r.redoes })}</span>`
              : nothing
          }
        </td>
        <td class="number">${numberText(view, r.unitsMoved)}</td>
        <td>${r.author}</td>
        <td class="when">${new Date(r.createdAt).toLocaleString(view.locale)}</td>
      </tr>`,
  );
  return html`<div class="grid-history" data-testid="grid-history">
    <h3>${t('grids.history.title')}</h3>
    ${error}
    <div class="scroll">
      ${table(
        [
          th('number', t('grids.history.revision')),
          t('grids.history.what'),
          th('number', t('grids.history.unitsMoved')),
          t('grids.history.author'),
          t('grids.history.when'),
        ],
        rows,
        { className: 'history-table' },
      )}
    </div>
  </div>`;
}

/** Another plan against this one: households moved in all and per township, and the moves. */
export function compareView(view: GridView, plan: PlanDetail): TemplateResult {
  const { t, state, dispatch } = view;
  const title = html`<h3>${t('grids.compare.title')}</h3>`;
  const others = (state.fetched.plans.data ?? []).filter((p) => p.id !== plan.id);
  if (others.length === 0) {
    return html`<div class="grid-compare" data-testid="grid-compare">
      ${title}
      <p class="notice">${t('grids.compare.none')}</p>
    </div>`;
  }
  const other = compareWith(state);
  const chosen = (event: Event) =>
    dispatch({ type: 'grids/setCompareWith', planId: Number((event.target as HTMLSelectElement).value) });
  const error = errorLine(view, 'comparison', state.fetched.comparison);
  const top = html`${title}
    <label class="row"
      >${t('grids.compare.with')}<select name="compareWith" data-testid="grid-compare-with" @change=${chosen}>
        ${others.map(
          (p) =>
            html`<option value=${String(p.id)} .selected=${live(p.id === other)}>
              ${t('grids.compare.option', { name: p.name, status: t(`grids.status.${p.status}`), revision: p.revision })}
            </option>`,
        )}
      </select></label
    >
    ${error}`;
  const comparison = currentComparison(state);
  if (!comparison) {
    return html`<div class="grid-compare" data-testid="grid-compare">
      ${top} ${error === nothing ? html`<p class="muted">${t('grids.compare.loading')}</p>` : nothing}
    </div>`;
  }
  const townships = comparison.townships.filter((tw) => tw.householdsMoved > 0 || tw.gridsA !== tw.gridsB);
  const townshipName = new Map(comparison.townships.map((tw) => [tw.code, tw.name]));
  const moves = comparison.moves.slice(0, MOVES_SHOWN);
  return html`<div class="grid-compare" data-testid="grid-compare">
    ${top}
    <p class="compare-total" data-testid="grid-compare-total">
      ${t('grids.compare.total', {
        a: comparison.a.name,
        b: comparison.b.name,
        households: numberText(view, comparison.householdsMoved),
        units: numberText(view, comparison.unitsMoved),
      })}
    </p>
    ${
      townships.length === 0
        ? html`<p class="ok">${t('grids.compare.same')}</p>`
        : table(
            [
              t('grids.compare.township'),
              th('number', t('grids.compare.householdsMoved')),
              th('number', t('grids.compare.gridsA')),
              th('number', t('grids.compare.gridsB')),
            ],
            townships.map(
              (tw) =>
                html`<tr data-code=${tw.code}>
                  <td>${tw.name}</td>
                  <td class="number">${numberText(view, tw.householdsMoved)}</td>
                  <td class="number">${numberText(view, tw.gridsA)}</td>
                  <td class="number">${numberText(view, tw.gridsB)}</td>
                </tr>`,
            ),
            { className: 'compare-townships', testId: 'grid-compare-townships' },
          )
    }
    ${
      comparison.moves.length > 0
        ? html`<h3>${t('grids.compare.moves', { n: numberText(view, comparison.moves.length) })}</h3>
            <div class="scroll">
              ${table(
                [
                  t('grids.compare.township'),
                  t('grids.compare.village'),
                  th('number', t('grids.compare.households')),
                  t('grids.compare.from'),
                  t('grids.compare.to'),
                ],
                moves.map(
                  (m) =>
                    html`<tr data-testid="grid-compare-move">
                      <td>${townshipName.get(m.townshipCode) ?? m.townshipCode}</td>
                      <td>${m.villageName}</td>
                      <td class="number">${numberText(view, m.households)}</td>
                      <td>${m.fromGrid ?? t('grids.noGrid')}</td>
                      <td>${m.toGrid ?? t('grids.noGrid')}</td>
                    </tr>`,
                ),
                { className: 'compare-moves' },
              )}
            </div>
            ${
              comparison.moves.length > MOVES_SHOWN
                ? html`<p class="small muted">
                    ${t('grids.compare.more', { n: numberText(view, comparison.moves.length - MOVES_SHOWN) })}
                  </p>`
                : nothing
            }`
        : nothing
    }
  </div>`;
}
