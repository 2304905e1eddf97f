-- Households a file gave without coordinates (only a village code or name, perhaps a 门牌) are
-- placed along their village's roads by the importer; estimated marks such a position as not
-- surveyed, for the map, exports and the county's figures (share of estimated households).
alter table households add column estimated boolean not null default false;
