-- Better Auth's "rateLimit" table, exactly as its migration engine creates it on PostgreSQL
-- with `rateLimit: { storage: "database" }` (better-auth 1.7.25): one row per client and
-- path, "lastRequest" in epoch milliseconds. RateLimit.Storage = "database" counts here, so
-- that several instances, Go or Node, share one limit. Idempotent, so a Node Better Auth
-- database that already has the table is adopted as it is.

-- +goose Up
{{adoptionCheck "rateLimit"}}

{{createTable "rateLimit"}}

-- +goose Down
drop table if exists {{table "rateLimit"}};
