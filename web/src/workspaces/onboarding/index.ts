import type { MessageKeyOf, Workspace } from '../workspace.js';
import { OnboardingController } from './controller.js';
import { messages } from './messages.js';
import {
  initialOnboardingState,
  onboardingResources,
  onboardingView,
  updateOnboarding,
  type OnboardingAction,
  type OnboardingState,
} from './state.js';
import { onboardingPanel } from './view.js';
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
  // The counties, readiness and road classes are asked for again after any import by the resource layer.
  resources: onboardingResources,
  start: ({ store, mapView, resources }) => new OnboardingController(store, mapView, resources),
  view: ({ locale, state, app, controller, dispatch }) =>
    onboardingPanel(locale, onboardingView(state, app), controller, dispatch),
};
