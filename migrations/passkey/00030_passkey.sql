-- The passkey plugin (@better-auth/passkey 1.7.6 src/schema.ts): the "passkey" table, one row
-- per registered WebAuthn credential, with its COSE public key (standard base64), credential
-- id (base64url), signature counter, device type, backup state, transports and AAGUID.
-- Written as Better Auth's migration writes it, and only if missing, so a Node deployment's
-- database with the plugin is adopted as it is and its passkeys keep working.

-- +goose Up
{{adoptionCheck "passkey"}}

{{createTable "passkey"}}

{{createIndexes "passkey"}}

-- +goose Down
-- The table holds every user's passkeys; dropping it is left to you:
--   drop table {{table "passkey"}};
