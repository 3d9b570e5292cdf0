-- Better Auth's core tables, exactly as its own migration engine creates them on PostgreSQL
-- (better-auth 1.7.3 and later): same names, types, defaults, constraints and indexes, so a
-- database created by Node Better Auth and one created here are interchangeable.
--
-- Every statement is idempotent, so this migration also adopts an existing Better Auth
-- database of any layout without touching its rows (and refuses a table of the same name that
-- is not Better Auth's):
--   * 1.6.x and 1.7.3+: the tables already exist; nothing changes.
--   * 1.4.5 and earlier lack the secondary indexes; they are added.
--   * 1.7.0 - 1.7.2 added a NOT NULL "account"."issuer" that 1.7.3+ no longer writes; the
--     constraint is relaxed, as Better Auth's 1.7 upgrade guide asks, keeping the column's data.

-- +goose Up
{{with .Schema}}-- The auth tables live in schema {{.}} (kernia.yaml's schema), which this creates unless it
-- exists: "create schema if not exists" would need the database's CREATE privilege even then,
-- and a role without it may run the migrations in a schema made for it.
-- +goose StatementBegin
do $$
begin
  if not exists (select 1 from pg_namespace where nspname = '{{.}}') then
    create schema {{.}};
  end if;
end
$$;
-- +goose StatementEnd

{{end}}{{adoptionCheck "user" "session" "account" "verification"}}

{{idsMarker}}
{{createTable "user"}}

{{createTable "session"}}

{{createTable "account"}}

{{createTable "verification"}}

{{with createIndexes "user"}}{{.}}
{{end}}{{createIndexes "session"}}
{{createIndexes "account"}}
{{createIndexes "verification"}}
{{with addFields "user"}}
-- The additional fields of kernia.yaml, for a table that existed before this migration (a Node
-- Better Auth database being adopted): added as Better Auth's migration adds them.
{{.}}
{{end}}{{with addFields "session"}}
{{.}}
{{end}}{{with addFields "account"}}
{{.}}
{{end}}
-- +goose StatementBegin
do $$
begin
  if exists (
    select 1 from information_schema.columns
    where table_schema = {{tableSchema}} and table_name = {{tableName "account"}} and column_name = 'issuer'
  ) then
    alter table {{table "account"}} alter column "issuer" drop not null;
  end if;
end
$$;
-- +goose StatementEnd

-- +goose Down
-- Drops the auth tables and every row in them, including those of an adopted Node Better Auth
-- database. Back up first.
drop table if exists {{table "verification"}};
drop table if exists {{table "account"}};
drop table if exists {{table "session"}};
drop table if exists {{table "user"}};
