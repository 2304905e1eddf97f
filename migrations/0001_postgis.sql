-- Spatial types and functions. On a PostgreSQL server the extension must be installable
-- (postgresql-15-postgis-3) and the role allowed to create it, or it must exist already.
create extension if not exists postgis;
