import type { MessageKey } from './zh-CN.js';

/** English UI text, key for key beside the Chinese dictionary. */
export const en: Record<MessageKey, string> = {
  'app.name': 'Shanwang',
  'app.tagline': 'One map for mountain-county governance',
  'app.syntheticNotice':
    'The demo county’s terrain, roads, households and events are synthetic, for demonstration only.',
  'nav.label': 'Workspaces',
  'workspace.grids': 'Grid planning',
  'workspace.grids.description':
    'Partition townships into grids of about 200 households (rural) or 300 (community), full coverage with no overlap, and redraw them on the map.',
  'workspace.policing': 'Policing',
  'workspace.policing.description':
    'Find the no-trip villages more than an hour’s drive from their police station, plan backpack-police visits, and allocate headquarters officers to the four war zones for holidays.',
  'workspace.risk': 'Risk',
  'workspace.risk.description':
    'Heatmaps, significant hotspots and trends of incidents, disputes, petitions and online fraud.',
  'status.connecting': 'Connecting…',
  'status.online': 'Service OK',
  'status.offline': 'Cannot reach the service',
  'status.database': 'Database',
  'status.database.pglite': 'embedded',
  'status.database.postgres': 'PostgreSQL server',
  'status.postgis': 'Spatial extension PostGIS',
  'status.migration': 'Schema version',
  'map.loading': 'Loading the map…',
  'map.error': 'The map cannot be shown: {message}',
  'map.zoomIn': 'Zoom in',
  'map.zoomOut': 'Zoom out',
  'map.resetBearing': 'Reset bearing to north',
  'map.scale': 'Scale',
  'locale.switch': '中文',
  'locale.switch.title': 'Switch to Chinese',
};
