-- Each county's mapping from a road file's administrative class (行政等级 G/S/X/Y/C/Z) and
-- technical grade (技术等级 高速 … 等外) to the app's road class and design speed, shown in the
-- roads import report and editable by admins; a county without a row uses the built-in mapping.
-- mapping: {"administrative": {"G": {"roadClass": "county", "grade": "class2"}, …},
--           "technical": {"class2": {"roadClass": "county", "designSpeedKmh": 60}, …}}
create table county_road_classes (
  county_code text primary key references counties (code) on delete cascade,
  mapping jsonb not null,
  updated_by text not null,
  updated_at timestamptz not null default now()
);

-- Which edges took their class or speed from the mapping (rather than from the file's own class or
-- speed column), so that changing the mapping re-costs exactly those.
alter table road_edges add column class_from_mapping boolean not null default false;
alter table road_edges add column speed_from_mapping boolean not null default false;
