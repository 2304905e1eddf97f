import type { MessageKeyOf, Workspace } from '../workspace.js';
import { PolicingController } from './controller.js';
import { messages } from './messages.js';
import { policingPanel } from './panel.js';
import { initialPolicingState, updatePolicing, type PolicingAction, type PolicingState } from './state.js';
import './styles.css';

/** 警务指挥: commanders find the no-trip villages and plan the backpack patrols' visits. */
export const policingWorkspace: Workspace<
  'policing',
  PolicingState,
  PolicingAction,
  PolicingController,
  MessageKeyOf<typeof messages>
> = {
  id: 'policing',
  titleKey: 'workspace.policing',
  descriptionKey: 'workspace.policing.description',
  order: 20,
  roles: ['admin', 'commander', 'leader'],
  messages,
  initialState: initialPolicingState,
  update: updatePolicing,
  // The no-trip report is worked out again over the new data.
  afterImport: (state) => updatePolicing(state, { type: 'policing/report', report: { kind: 'idle' } }),
  start: ({ store, mapView }) => new PolicingController(store, mapView),
  panel: ({ locale, state, controller, dispatch, may }) =>
    policingPanel(locale, state, controller, dispatch, may.editPolicing),
  panelChanged: (state, previous) =>
    state.policing !== previous.policing || state.county?.state !== previous.county?.state,
};
