// Imported in the order of their styles in the cascade (as in the one styles.css before).
import { policingWorkspace } from './policing/index.js';
import { riskWorkspace } from './risk/index.js';
import { holidaysWorkspace } from './holidays/index.js';
import { gridsWorkspace } from './grids/index.js';
import { adminWorkspace } from './admin/index.js';
import { onboardingWorkspace } from './onboarding/index.js';
import { registerWorkspace } from './workspace.js';

/**
 * The app's workspaces. Adding one is its folder (state, controller, views, map layers, styles,
 * text) and one entry here; the tab order is each workspace's `order`.
 */
export const APP_WORKSPACES = [
  gridsWorkspace,
  policingWorkspace,
  riskWorkspace,
  holidaysWorkspace,
  adminWorkspace,
  onboardingWorkspace,
] as const;

for (const workspace of APP_WORKSPACES) registerWorkspace(workspace);

type AppWorkspace = (typeof APP_WORKSPACES)[number];
type StateOf<W extends AppWorkspace> = W extends unknown ? { [Id in W['id']]: ReturnType<W['initialState']> } : never;
type ActionOf<W extends AppWorkspace> = W extends unknown ? Parameters<W['update']>[1] : never;
type KeyOf<W extends AppWorkspace> = W extends unknown ? keyof W['messages']['zh-CN'] & string : never;
type Merged<U> = (U extends unknown ? (slice: U) => void : never) extends (slice: infer I) => void ? I : never;

/** The id of an app workspace. */
export type WorkspaceId = AppWorkspace['id'];
/** Each workspace's slice of the app state, under its id. */
export type WorkspaceSlices = Merged<StateOf<AppWorkspace>>;
/** An action of one of the app's workspaces. */
export type AppWorkspaceAction = ActionOf<AppWorkspace>;
/** A key of a workspace's UI text. */
export type WorkspaceMessageKey = KeyOf<AppWorkspace>;
