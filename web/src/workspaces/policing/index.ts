import type { MessageKeyOf, Workspace } from '../workspace.js';
import { PolicingController } from './controller.js';
import { messages } from './messages.js';
import { policingPanel } from './panel.js';
import {
  initialPolicingState,
  policingResources,
  policingView,
  updatePolicing,
  type PolicingAction,
  type PolicingState,
} from './state.js';
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
  // The reports, totals and bands are asked for again after an import by the resource layer.
  resources: policingResources,
  start: ({ store, mapView, resources }) => new PolicingController(store, mapView, resources),
  view: ({ locale, state, app, controller, dispatch, may }) =>
    policingPanel(locale, policingView(state, app), controller, dispatch, may.editPolicing),
};
