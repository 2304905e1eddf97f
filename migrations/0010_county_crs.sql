-- A county's own coordinate system (EPSG code): the system its exports are written in, for the
-- provincial grid platform and the offices' desktop GIS. It must be one PostGIS knows. When none is
-- given it is the CGCS2000 3-degree Gauss–Krüger zone of the county's centroid, in the variant
-- without the zone number in the false easting (EPSG:4534 for central meridian 75°E … 4554 for
-- 135°E; zone n covers n·3° ± 1.5°): Taishun (≈119.8°E) gets 4549. A county created without an
-- outline gets it when its townships give it one.
alter table counties add column crs_epsg integer;

create function counties_crs() returns trigger language plpgsql as $$
begin
  if new.crs_epsg is null and not ST_IsEmpty(new.geom) then
    new.crs_epsg := 4534 + least(45, greatest(25, round(ST_X(ST_Centroid(new.geom)) / 3)::int)) - 25;
  end if;
  if new.crs_epsg is not null and not exists (select 1 from spatial_ref_sys where srid = new.crs_epsg) then
    raise exception 'PostGIS 不认识 EPSG:% (PostGIS does not know EPSG:%)', new.crs_epsg, new.crs_epsg
      using errcode = 'foreign_key_violation';
  end if;
  return new;
end
$$;

create trigger counties_crs before insert or update of geom, crs_epsg on counties
  for each row execute function counties_crs();

-- The counties already loaded (the demo among them) take the rule's zone.
update counties set crs_epsg = null;
