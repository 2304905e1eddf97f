-- Roads as a transport bureau's file describes them: one-way edges (driven from source to target
-- only, or from target to source only; null both ways), the technical grade (技术等级) the speed
-- model reads a design speed from, the administrative class (行政等级: G 国道, S 省道, X 县道,
-- Y 乡道, C 村道, Z 专用公路), and whether the edge is a bridge or a tunnel (level whatever the
-- terrain, and not joined to the roads it passes over or under).
alter table road_edges add column one_way text check (one_way in ('forward', 'backward'));
alter table road_edges add column technical_grade text
  check (technical_grade in ('expressway', 'class1', 'class2', 'class3', 'class4', 'substandard'));
alter table road_edges add column administrative_class text check (administrative_class in ('G', 'S', 'X', 'Y', 'C', 'Z'));
alter table road_edges add column structure text check (structure in ('bridge', 'tunnel'));
