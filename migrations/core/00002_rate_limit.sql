-- Better Auth's "rateLimit" table, exactly as its migration engine creates it on PostgreSQL
-- with `rateLimit: { storage: "database" }` (better-auth 1.7.25): one row per client and
-- path, "lastRequest" in epoch milliseconds. RateLimit.Storage = "database" counts here, so
-- that several instances, Go or Node, share one limit. Idempotent, so a Node Better Auth
-- database that already has the table is adopted as it is.

-- +goose Up
-- Adopt only Better Auth's own tables. An application table that has one of these names but
-- lacks their columns stops the migration here, with a message that names it, instead of
-- being adopted and failing every request later.
-- +goose StatementBegin
do $$
declare
  t record;
  missing text;
begin
  for t in
    select * from (values
      ('rateLimit', array['id', 'key', 'count', 'lastRequest'])
    ) as v (name, columns)
  loop
    select string_agg(format('%I', c), ', ') into missing
    from unnest(t.columns) as c
    where exists (
      select 1 from information_schema.tables
      where table_schema = {{tableSchema}} and table_name = t.name
    ) and not exists (
      select 1 from information_schema.columns
      where table_schema = {{tableSchema}} and table_name = t.name and column_name = c
    );
    if missing is not null then
      raise exception 'table %.% is in the way: it is not a Better Auth table (it lacks the columns %). '
{{- if .Schema}}
        'Rename your table, or generate the auth package with another schema: in kernia.yaml''s schema, '
        'before the first migration (see "Tables with the same names" in kernia-gen''s docs/adopting.md)',
{{- else}}
        'Rename your table, or give the auth tables a schema of their own: create schema auth, and connect '
        'with search_path=auth,public (see "Tables with the same names" in kernia-gen''s docs/adopting.md)',
{{- end}}
        {{tableSchema}}, format('%I', t.name), missing;
    end if;
  end loop;
end
$$;
-- +goose StatementEnd

create table if not exists {{table "rateLimit"}} (
  "id" text not null primary key,
  "key" text not null unique,
  "count" integer not null,
  "lastRequest" bigint not null
);

-- +goose Down
drop table if exists {{table "rateLimit"}};
