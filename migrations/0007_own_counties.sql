-- A county from its own data: an outline that may be the union of its townships, the file's own
-- identifiers of townships and villages that came without an official code, and police
-- jurisdictions as links between stations and the townships they serve.

-- A county created without an outline has an empty one until its townships are imported; from
-- then on (outline_from_townships) it is their union, recomputed whenever the townships change.
alter table counties add column outline_from_townships boolean not null default false;
alter table counties add column created_at timestamptz not null default now();

-- The identifier a feature had in its file (FID, OBJECTID, 标识码…), kept so that importing the
-- same file again finds the rows it made, with the codes assigned to them.
alter table townships add column source_id text;
alter table villages add column source_id text;
create unique index townships_source_id on townships (county_code, source_id) where source_id is not null;
create index villages_source_id on villages (source_id) where source_id is not null;

create function counties_outline_from_townships() returns trigger language plpgsql as $$
begin
  update counties c
  set geom = coalesce(
    (select ST_Multi(ST_CollectionExtract(ST_Union(t.geom), 3)) from townships t where t.county_code = c.code),
    ST_GeomFromText('MULTIPOLYGON EMPTY', 4326))
  where c.outline_from_townships;
  return null;
end
$$;

create trigger townships_outline after insert or update of geom, county_code or delete on townships
  for each statement execute function counties_outline_from_townships();

-- Police jurisdictions (辖区): each township is served by one station, a station by one or more
-- townships. A link comes from the station file, the demo model, a drive-time proposal or a
-- person; only confirmed links count. townships.police_station_code, which every feature reads
-- as "its own station", is kept equal to the confirmed link by the trigger below.
create table station_townships (
  township_code text primary key references townships (code) on delete cascade,
  station_code text not null references police_stations (code) on delete cascade,
  source text not null check (source in ('model', 'file', 'drive_time', 'manual')),
  confirmed boolean not null,
  -- For a drive-time proposal: seconds from the station to the township's seat or villages.
  drive_seconds real check (drive_seconds >= 0),
  decided_by text not null,
  decided_at timestamptz not null default now()
);
create index station_townships_station on station_townships (station_code);

create function station_townships_to_townships() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    update townships set police_station_code = null
    where code = old.township_code and police_station_code is not null;
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.confirmed then
    update townships set police_station_code = new.station_code where code = new.township_code;
  end if;
  return null;
end
$$;

create trigger station_townships_confirmed after insert or update or delete on station_townships
  for each row execute function station_townships_to_townships();

-- The links the demo (and any county loaded before this migration) already has.
insert into station_townships (township_code, station_code, source, confirmed, decided_by)
select code, police_station_code, 'model', true, 'migration' from townships where police_station_code is not null;
