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

{{end}}-- Adopt only Better Auth's own tables. An application table that has one of these names but
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
      ('user', array['id', 'name', 'email', 'emailVerified', 'image', 'createdAt', 'updatedAt']),
      ('session', array['id', 'expiresAt', 'token', 'createdAt', 'updatedAt', 'ipAddress', 'userAgent', 'userId']),
      ('account', array['id', 'accountId', 'providerId', 'userId', 'accessToken', 'refreshToken', 'idToken', 'accessTokenExpiresAt', 'refreshTokenExpiresAt', 'scope', 'password', 'createdAt', 'updatedAt']),
      ('verification', array['id', 'identifier', 'value', 'expiresAt', 'createdAt', 'updatedAt'])
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

create table if not exists {{table "user"}} (
  "id" text not null primary key,
  "name" text not null,
  "email" text not null unique,
  "emailVerified" boolean not null,
  "image" text,
  "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
  "updatedAt" timestamptz default CURRENT_TIMESTAMP not null
);

create table if not exists {{table "session"}} (
  "id" text not null primary key,
  "expiresAt" timestamptz not null,
  "token" text not null unique,
  "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
  "updatedAt" timestamptz not null,
  "ipAddress" text,
  "userAgent" text,
  "userId" text not null references {{table "user"}} ("id") on delete cascade
);

create table if not exists {{table "account"}} (
  "id" text not null primary key,
  "accountId" text not null,
  "providerId" text not null,
  "userId" text not null references {{table "user"}} ("id") on delete cascade,
  "accessToken" text,
  "refreshToken" text,
  "idToken" text,
  "accessTokenExpiresAt" timestamptz,
  "refreshTokenExpiresAt" timestamptz,
  "scope" text,
  "password" text,
  "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
  "updatedAt" timestamptz not null
);

create table if not exists {{table "verification"}} (
  "id" text not null primary key,
  "identifier" text not null,
  "value" text not null,
  "expiresAt" timestamptz not null,
  "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
  "updatedAt" timestamptz default CURRENT_TIMESTAMP not null
);

create index if not exists "session_userId_idx" on {{table "session"}} ("userId");
create index if not exists "account_userId_idx" on {{table "account"}} ("userId");
create index if not exists "verification_identifier_idx" on {{table "verification"}} ("identifier");

-- +goose StatementBegin
do $$
begin
  if exists (
    select 1 from information_schema.columns
    where table_schema = {{tableSchema}} and table_name = 'account' and column_name = 'issuer'
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
