-- The passkey plugin's credentials: one row per registered passkey.

-- name: ListPasskeysByUserID :many
-- ListPasskeysByUserID returns the user's passkeys in the database's order, as Better Auth
-- lists them (no sort).
select {{columns "passkey"}}
from {{table "passkey"}}
where {{passkey "userId"}} = $1;

-- name: GetPasskeyByID :one
-- GetPasskeyByID returns one passkey by its row id (update-passkey, delete-passkey).
select {{columns "passkey"}}
from {{table "passkey"}}
where {{passkey "id"}} = $1
limit 1;

-- name: GetPasskeyByCredentialID :one
-- GetPasskeyByCredentialID returns the passkey a sign-in names by its credential id
-- (base64url, as stored).
select {{columns "passkey"}}
from {{table "passkey"}}
where {{passkey "credentialID"}} = $1
limit 1;

-- name: CreatePasskey :one
-- CreatePasskey stores a newly registered passkey.
insert into {{table "passkey"}} ({{insertColumns "passkey"}})
values ({{values "passkey"}})
returning {{columns "passkey"}};

-- name: SetPasskeyCounter :execrows
-- SetPasskeyCounter records a sign-in's signature counter, only if the stored one is still the
-- one the sign-in was checked against: of two sign-ins with the same counter, one wins.
update {{table "passkey"}} set {{passkey "counter"}} = sqlc.arg(counter)
where {{passkey "id"}} = sqlc.arg(id) and {{passkey "counter"}} = sqlc.arg(old_counter);

-- name: RenamePasskey :one
-- RenamePasskey gives a passkey a new name and returns it (update-passkey).
update {{table "passkey"}} set {{passkey "name"}} = sqlc.arg(name)
where {{passkey "id"}} = sqlc.arg(id)
returning {{columns "passkey"}};

-- name: DeletePasskey :exec
-- DeletePasskey removes one passkey (delete-passkey).
delete from {{table "passkey"}} where {{passkey "id"}} = $1;
