import type { MessageKeyOf, Workspace } from '../workspace.js';
import { HolidayController } from './controller.js';
import { messages } from './messages.js';
import { holidayPanel } from './panel.js';
import { renderHolidayOverlay } from './print.js';
import { initialHolidaysState, updateHolidays, type HolidayAction, type HolidaysState } from './state.js';
import './styles.css';

/** 节假日警力: commanders allocate the headquarters' officers to the war zones for a holiday. */
export const holidaysWorkspace: Workspace<
  'holidays',
  HolidaysState,
  HolidayAction,
  HolidayController,
  MessageKeyOf<typeof messages>
> = {
  id: 'holidays',
  titleKey: 'workspace.holidays',
  descriptionKey: 'workspace.holidays.description',
  order: 40,
  roles: ['admin', 'commander', 'leader'],
  messages,
  initialState: initialHolidaysState,
  update: updateHolidays,
  afterImport: (state) => updateHolidays(state, { type: 'holidays/reset' }),
  start: ({ store, mapView }) => new HolidayController(store, mapView),
  view: ({ locale, state, controller, dispatch, may }) =>
    holidayPanel(locale, state, controller, dispatch, may.editPolicing),
  overlay: {
    className: 'holiday-overlay',
    testId: 'holiday-overlay',
    render: (host, locale, state) => renderHolidayOverlay(host, locale, state),
  },
};
