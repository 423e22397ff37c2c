-- Which engine session recorded an intent, so that another engine can tell an operation in
-- progress elsewhere (alive: the session's advisory lock is held) from one whose writer is gone
-- (process killed, connection cut): only the latter is rolled back or finished by the next engine
-- run for the site. The session id is the second key of the session-level advisory lock
-- pg_advisory_lock(1886415153, <session>) held by the writer's dedicated connection; PostgreSQL
-- releases it when that connection ends, whatever the cause. Null = written before V8 (treated as
-- abandoned).
alter table containers add column intent_session integer;
alter table containers add constraint containers_intent_session_with_intent
    check (intent is not null or intent_session is null);

-- The sweep at the start of every apply/delete/resync of a site reads only rows with an intent.
create index containers_intents_idx on containers (site_id) where intent is not null;

alter table engine_pool_intents add column intent_session integer;
-- A pool delete records its intent too, so an interrupted delete is finished by the next run.
alter table engine_pool_intents drop constraint engine_pool_intents_intent;
alter table engine_pool_intents add constraint engine_pool_intents_intent check (intent in ('create', 'delete'));
