-- Better Auth's username plugin (better-auth 1.7.25 plugins/username/schema.mjs): the user's
-- "username", unique and stored normalised (lower case), and "displayUsername", as the user
-- typed it. Written as Better Auth's migration adds fields to an existing table, and each only
-- if missing: a database whose first migration already created them (the plugin was on from
-- the start), or a Node deployment's with the plugin, is left as it is.

-- +goose Up
{{addFields "user" "username" "displayUsername"}}

-- +goose Down
-- The columns hold the users' usernames; dropping them is left to you:
--   alter table {{table "user"}} drop column {{user "username"}}, drop column {{user "displayUsername"}};
