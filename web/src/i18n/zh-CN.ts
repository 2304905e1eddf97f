/** 界面文字（简体中文）。每一项都须在 en.ts 中有对应的英文。 */
export const zhCN = {
  'app.name': '山网',
  'app.tagline': '山区基层治理一张图',
  'app.syntheticNotice': '示范县的地形、道路、住户与事件均为合成数据，仅供演示。',
  'nav.label': '工作区',
  'workspace.grids': '网格规划',
  'workspace.grids.description': '按农村约200户、社区约300户的标准划分网格，全覆盖、无重叠，并可在地图上手工调整。',
  'workspace.policing': '警务指挥',
  'workspace.policing.description':
    '找出离派出所车程超过一小时的免跑村，安排背包警务走访，并为节假日调配机关警力到四大战区。',
  'workspace.risk': '风险研判',
  'workspace.risk.description': '查看警情、矛盾纠纷、信访和网络诈骗的热力图、显著热点与变化趋势。',
  'status.connecting': '正在连接服务…',
  'status.online': '服务正常',
  'status.offline': '无法连接服务',
  'status.database': '数据库',
  'status.database.pglite': '内置数据库',
  'status.database.postgres': 'PostgreSQL 服务器',
  'status.postgis': '空间扩展 PostGIS',
  'status.migration': '数据结构版本',
  'map.loading': '地图加载中…',
  'map.error': '地图无法显示：{message}',
  'map.zoomIn': '放大',
  'map.zoomOut': '缩小',
  'map.resetBearing': '指北',
  'map.scale': '比例尺',
  'locale.switch': 'English',
  'locale.switch.title': '切换到英文界面',
} as const;

export type MessageKey = keyof typeof zhCN;
