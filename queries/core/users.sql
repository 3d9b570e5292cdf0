-- Users: lookups by id and the changes of the account lifecycle.

-- name: GetUserByID :one
select "id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"
from {{table "user"}}
where "id" = $1;

-- name: MarkEmailVerified :one
update {{table "user"}}
set "emailVerified" = true, "updatedAt" = sqlc.arg(updated_at)
where "email" = sqlc.arg(email)
returning "id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt";

-- name: SetUserEmail :one
-- Changes the address. A unique violation means another user took it in the meantime.
update {{table "user"}}
set "email" = sqlc.arg(email), "emailVerified" = sqlc.arg(email_verified), "updatedAt" = sqlc.arg(updated_at)
where "id" = sqlc.arg(id)
returning "id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt";

-- name: DeleteUserAccounts :exec
delete from {{table "account"}} where "userId" = $1;

-- name: DeleteUser :exec
delete from {{table "user"}} where "id" = $1;
