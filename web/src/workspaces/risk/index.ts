import type { MessageKeyOf, Workspace } from '../workspace.js';
import { RiskController } from './controller.js';
import { messages } from './messages.js';
import { renderRiskOverlay, riskView } from './panel.js';
import { initialRiskState, riskResources, riskViewOf, updateRisk, type RiskAction, type RiskState } from './state.js';
import './styles.css';

/** 风险研判: leaders read the risk heatmaps, hotspots and trends of the county's events. */
export const riskWorkspace: Workspace<'risk', RiskState, RiskAction, RiskController, MessageKeyOf<typeof messages>> = {
  id: 'risk',
  titleKey: 'workspace.risk',
  descriptionKey: 'workspace.risk.description',
  order: 30,
  roles: ['admin', 'planner', 'commander', 'leader'],
  homeFor: ['leader'],
  messages,
  initialState: initialRiskState,
  update: updateRisk,
  // The resource layer asks for the maps and figures again after an import; the meta is asked again here.
  afterImport: (state) => updateRisk(state, { type: 'risk/reset' }),
  resources: riskResources,
  start: ({ store, mapView }) => new RiskController(store, mapView),
  view: ({ locale, state, app, dispatch }) => riskView(locale, riskViewOf(state, app), dispatch),
  // The time bar and legend are rendered in place by lit (a rebuilt slider would drop a drag).
  overlay: {
    className: '',
    testId: 'map-overlay',
    render: (host, locale, state, dispatch, app) =>
      renderRiskOverlay(host, locale, state && riskViewOf(state, app), dispatch),
  },
};
