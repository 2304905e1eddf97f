import { keptImportPanel } from '../../ui/import-panel.js';
import type { MessageKeyOf, Workspace } from '../workspace.js';
import { GridController } from './controller.js';
import { messages } from './messages.js';
import { gridPanel } from './panel.js';
import { renderGridOverlay } from './print.js';
import { initialGridsState, updateGrids, type GridAction, type GridsState } from './state.js';
import './styles.css';

/** 网格规划: planners partition townships into grids and redraw them on the map. */
export const gridsWorkspace: Workspace<
  'grids',
  GridsState,
  GridAction,
  GridController,
  MessageKeyOf<typeof messages>
> = {
  id: 'grids',
  titleKey: 'workspace.grids',
  descriptionKey: 'workspace.grids.description',
  order: 10,
  roles: ['admin', 'planner', 'leader'],
  messages,
  initialState: initialGridsState,
  update: updateGrids,
  afterImport: (state) => updateGrids(state, { type: 'grids/reset' }),
  start: ({ store, mapView }) => new GridController(store, mapView),
  view: ({ locale, state, app, controller, dispatch, may }) =>
    gridPanel(
      locale,
      state,
      controller,
      dispatch,
      may.importLayers ? keptImportPanel(locale, app.import, dispatch) : null,
      app.import.kind !== 'idle',
      app.user,
    ),
  overlay: {
    className: 'grid-overlay',
    testId: 'grid-overlay',
    render: (host, locale, state) => renderGridOverlay(host, locale, state),
  },
};
