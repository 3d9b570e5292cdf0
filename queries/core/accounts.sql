-- User and credential account updates.

-- name: UpdateUserProfile :one
-- Sets the name when one is given, and the image when set_image is true (image may be null,
-- which removes it).
update {{table "user"}}
set {{user "name"}} = coalesce(sqlc.narg(name), {{user "name"}}),
    {{user "image"}} = case when sqlc.arg(set_image)::boolean then sqlc.narg(image) else {{user "image"}} end,{{updateFields "user"}}
    {{user "updatedAt"}} = sqlc.arg(updated_at)
where {{user "id"}} = sqlc.arg(id)
returning {{columns "user"}};

-- name: GetCredentialAccount :one
-- The user's credential account (see GetCredentialPassword for the matching rule).
select {{account "id"}}, {{account "password"}}
from {{table "account"}}
where {{account "userId"}} = sqlc.arg(user_id) and {{account "accountId"}} = {{account "userId"}}::text and {{account "providerId"}} = 'credential'
limit 1;

-- name: SetAccountPassword :execrows
-- Reports the rows changed: none when the account was deleted in the meantime.
update {{table "account"}} set {{account "password"}} = $2, {{account "updatedAt"}} = $3 where {{account "id"}} = $1;

-- name: ListUserAccounts :many
-- Every account of the user; accountJSON leaves out the tokens and the password hash.
select {{columns "account"}}
from {{table "account"}}
where {{account "userId"}} = $1
order by {{account "createdAt"}}, {{account "id"}};
