import type { MessageKeyOf, Workspace } from '../workspace.js';
import { OnboardingController } from './controller.js';
import { messages } from './messages.js';
import { initialOnboardingState, updateOnboarding, type OnboardingAction, type OnboardingState } from './state.js';
import { onboardingView } from './view.js';
import './styles.css';

/**
 * 建县与导入: admins create a county, preview and import the files its offices hand over, and read
 * what each capability still needs (county creation is the server's admin-only route).
 */
export const onboardingWorkspace: Workspace<
  'onboarding',
  OnboardingState,
  OnboardingAction,
  OnboardingController,
  MessageKeyOf<typeof messages>
> = {
  id: 'onboarding',
  titleKey: 'workspace.onboarding',
  descriptionKey: 'workspace.onboarding.description',
  order: 45,
  roles: ['admin'],
  messages,
  initialState: initialOnboardingState,
  update: updateOnboarding,
  // Another panel's import changed the county: read its counts and readiness again.
  afterImport: (state) => ({ ...state, counties: { kind: 'idle' }, readiness: { kind: 'idle' } }),
  start: ({ store, mapView }) => new OnboardingController(store, mapView),
  view: ({ locale, state, controller, dispatch }) => onboardingView(locale, state, controller, dispatch),
};
