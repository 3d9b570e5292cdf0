-- Better Auth's two-factor plugin (better-auth 1.7.25 plugins/two-factor/schema.mjs): the
-- user's "twoFactorEnabled", and the "twoFactor" table with each enrolled user's TOTP secret
-- and backup codes, both encrypted with the secret (XChaCha20-Poly1305, as upstream stores
-- them). Written as Better Auth's migration writes them, and each only if missing, so a Node
-- deployment's database with the plugin is adopted as it is.

-- +goose Up
{{addFields "user" "twoFactorEnabled"}}

{{adoptionCheck "twoFactor"}}

{{createTable "twoFactor"}}

{{createIndexes "twoFactor"}}

-- +goose Down
-- The table holds every enrolled user's second factor; dropping it, and the column, is left to
-- you:
--   drop table {{table "twoFactor"}};
--   alter table {{table "user"}} drop column {{user "twoFactorEnabled"}};
