-- One row per (unit, year) with at least one stored report (any version, inside the city's scope or not).
create or replace view unit_years_reported as
select unit_id, year
from reports
where unit_id is not null and year is not null
group by unit_id, year
