import { compareWith, currentComparison, type PlanDetail } from './state.js';
import { el } from '../../ui/dom.js';
import { errorLine, numberText, table, type GridView } from './common.js';

/** Moves listed at most (the whole comparison is in the download of either plan). */
const MOVES_SHOWN = 200;

/** The plan's revisions, newest first: number, what, who, when; undone ones marked. */
export function historyView(view: GridView, plan: PlanDetail): HTMLElement {
  const { t, state } = view;
  const root = el(
    'div',
    { class: 'grid-history', 'data-testid': 'grid-history' },
    el('h3', {}, t('grids.history.title')),
  );
  const error = errorLine(view, 'revisions', state.fetched.revisions);
  if (error) root.append(error);
  const revisions = state.fetched.revisions.data;
  if (!revisions) {
    if (!error) root.append(el('p', { class: 'muted' }, t('grids.history.loading')));
    return root;
  }
  const rows = revisions.map((r) =>
    el(
      'tr',
      {
        'data-testid': 'grid-revision-row',
        'data-revision': String(r.revision),
        class: r.revision === plan.revision ? 'selected' : '',
      },
      el('td', { class: 'number' }, String(r.revision)),
      el(
        'td',
        {},
        r.summary,
        r.undoes !== null ? el('span', { class: 'badge' }, t('grids.history.undoes', { revision: r.undoes })) : null,
        r.redoes !== null ? el('span', { class: 'badge' }, t('grids.history.redoes', { revision: r.redoes })) : null,
      ),
      el('td', { class: 'number' }, numberText(view, r.unitsMoved)),
      el('td', {}, r.author),
      el('td', { class: 'when' }, new Date(r.createdAt).toLocaleString(view.locale)),
    ),
  );
  root.append(
    el(
      'div',
      { class: 'scroll', 'data-scroll-key': 'grid-history' },
      table(
        { class: 'history-table' },
        [
          el('th', { class: 'number' }, t('grids.history.revision')),
          t('grids.history.what'),
          el('th', { class: 'number' }, t('grids.history.unitsMoved')),
          t('grids.history.author'),
          t('grids.history.when'),
        ],
        rows,
      ),
    ),
  );
  return root;
}

/** Another plan against this one: households moved in all and per township, and the moves. */
export function compareView(view: GridView, plan: PlanDetail): HTMLElement {
  const { t, state, dispatch } = view;
  const root = el(
    'div',
    { class: 'grid-compare', 'data-testid': 'grid-compare' },
    el('h3', {}, t('grids.compare.title')),
  );
  const others = (state.fetched.plans.data ?? []).filter((p) => p.id !== plan.id);
  if (others.length === 0) {
    root.append(el('p', { class: 'notice' }, t('grids.compare.none')));
    return root;
  }
  const other = compareWith(state);
  const select = el(
    'select',
    { name: 'compareWith', 'data-testid': 'grid-compare-with', 'data-focus-key': 'grid-compare-with' },
    ...others.map((p) =>
      el(
        'option',
        { value: String(p.id), selected: p.id === other },
        t('grids.compare.option', { name: p.name, status: t(`grids.status.${p.status}`), revision: p.revision }),
      ),
    ),
  );
  select.addEventListener('change', () => dispatch({ type: 'grids/setCompareWith', planId: Number(select.value) }));
  root.append(el('label', { class: 'row' }, t('grids.compare.with'), select));
  const error = errorLine(view, 'comparison', state.fetched.comparison);
  if (error) root.append(error);
  const comparison = currentComparison(state);
  if (!comparison) {
    if (!error) root.append(el('p', { class: 'muted' }, t('grids.compare.loading')));
    return root;
  }
  root.append(
    el(
      'p',
      { class: 'compare-total', 'data-testid': 'grid-compare-total' },
      t('grids.compare.total', {
        a: comparison.a.name,
        b: comparison.b.name,
        households: numberText(view, comparison.householdsMoved),
        units: numberText(view, comparison.unitsMoved),
      }),
    ),
  );
  const townships = comparison.townships.filter((tw) => tw.householdsMoved > 0 || tw.gridsA !== tw.gridsB);
  root.append(
    townships.length === 0
      ? el('p', { class: 'ok' }, t('grids.compare.same'))
      : table(
          { class: 'compare-townships', 'data-testid': 'grid-compare-townships' },
          [
            t('grids.compare.township'),
            el('th', { class: 'number' }, t('grids.compare.householdsMoved')),
            el('th', { class: 'number' }, t('grids.compare.gridsA')),
            el('th', { class: 'number' }, t('grids.compare.gridsB')),
          ],
          townships.map((tw) =>
            el(
              'tr',
              { 'data-code': tw.code },
              el('td', {}, tw.name),
              el('td', { class: 'number' }, numberText(view, tw.householdsMoved)),
              el('td', { class: 'number' }, numberText(view, tw.gridsA)),
              el('td', { class: 'number' }, numberText(view, tw.gridsB)),
            ),
          ),
        ),
  );
  if (comparison.moves.length > 0) {
    const townshipName = new Map(comparison.townships.map((tw) => [tw.code, tw.name]));
    const moves = comparison.moves.slice(0, MOVES_SHOWN);
    root.append(
      el('h3', {}, t('grids.compare.moves', { n: numberText(view, comparison.moves.length) })),
      el(
        'div',
        { class: 'scroll', 'data-scroll-key': 'grid-compare-moves' },
        table(
          { class: 'compare-moves' },
          [
            t('grids.compare.township'),
            t('grids.compare.village'),
            el('th', { class: 'number' }, t('grids.compare.households')),
            t('grids.compare.from'),
            t('grids.compare.to'),
          ],
          moves.map((m) =>
            el(
              'tr',
              { 'data-testid': 'grid-compare-move' },
              el('td', {}, townshipName.get(m.townshipCode) ?? m.townshipCode),
              el('td', {}, m.villageName),
              el('td', { class: 'number' }, numberText(view, m.households)),
              el('td', {}, m.fromGrid ?? t('grids.noGrid')),
              el('td', {}, m.toGrid ?? t('grids.noGrid')),
            ),
          ),
        ),
      ),
      comparison.moves.length > MOVES_SHOWN
        ? el(
            'p',
            { class: 'small muted' },
            t('grids.compare.more', { n: numberText(view, comparison.moves.length - MOVES_SHOWN) }),
          )
        : '',
    );
  }
  return root;
}
