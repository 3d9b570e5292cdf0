-- User and credential account updates.

-- name: UpdateUserProfile :one
-- Sets the name when one is given, and the image when set_image is true (image may be null,
-- which removes it).
update {{table "user"}}
set "name" = coalesce(sqlc.narg(name), "name"),
    "image" = case when sqlc.arg(set_image)::boolean then sqlc.narg(image) else "image" end,
    "updatedAt" = sqlc.arg(updated_at)
where "id" = sqlc.arg(id)
returning "id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt";

-- name: GetCredentialAccount :one
-- The user's credential account (see GetCredentialPassword for the matching rule).
select "id", "password"
from {{table "account"}}
where "userId" = sqlc.arg(user_id) and "accountId" = sqlc.arg(user_id) and "providerId" = 'credential'
limit 1;

-- name: SetAccountPassword :execrows
-- Reports the rows changed: none when the account was deleted in the meantime.
update {{table "account"}} set "password" = $2, "updatedAt" = $3 where "id" = $1;

-- name: ListUserAccounts :many
-- Every account of the user, without tokens or the password hash.
select "id", "accountId", "providerId", "userId", "scope", "createdAt", "updatedAt"
from {{table "account"}}
where "userId" = $1
order by "createdAt", "id";
