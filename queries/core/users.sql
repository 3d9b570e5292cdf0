-- Users: lookups by id and the changes of the account lifecycle.

-- name: GetUserByID :one
select {{columns "user"}}
from {{table "user"}}
where {{user "id"}} = $1;

-- name: MarkEmailVerified :one
update {{table "user"}}
set {{user "emailVerified"}} = true, {{user "updatedAt"}} = sqlc.arg(updated_at)
where {{user "email"}} = sqlc.arg(email)
returning {{columns "user"}};

-- name: SetUserEmail :one
-- Changes the address. A unique violation means another user took it in the meantime.
update {{table "user"}}
set {{user "email"}} = sqlc.arg(email), {{user "emailVerified"}} = sqlc.arg(email_verified), {{user "updatedAt"}} = sqlc.arg(updated_at)
where {{user "id"}} = sqlc.arg(id)
returning {{columns "user"}};

-- name: DeleteUserAccounts :exec
delete from {{table "account"}} where {{account "userId"}} = $1;

-- name: DeleteUser :exec
delete from {{table "user"}} where {{user "id"}} = $1;
{{- if .DatabaseAssignsIDs}}

-- name: NextUserID :one
-- The next id of the user table's identity column (generateId: serial): the id of the
-- synthetic user a concealed duplicate sign-up shows, taken as a new user's would be.
select nextval(pg_get_serial_sequence('{{table "user"}}', 'id'))::text;
{{- end}}

-- name: TwoFactorEnabled :one
-- Whether a deployment with Better Auth's twoFactor plugin enrolled the user: its
-- "twoFactorEnabled" column, read through the row's JSON since the column exists only where
-- that plugin migrated the table (false without it).
select coalesce((to_jsonb(u) ->> 'twoFactorEnabled')::boolean, false)::boolean as enabled
from {{table "user"}} u
where u.{{user "id"}} = $1;
