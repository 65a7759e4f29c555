-- One row per store: the day deadlines are judged against (the setting timeliness.as_of, which a round sets to its closing day; else today).
create or replace view as_of_day as
select coalesce(try_cast(nullif((select text from settings where key = 'timeliness.as_of'), '') as date), current_date) as day
