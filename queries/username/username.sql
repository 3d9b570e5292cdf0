-- The username plugin's lookup: users by their normalised username (unique).

-- name: GetUserByUsername :one
select {{columns "user"}}
from {{table "user"}}
where {{user "username"}} = sqlc.arg(username)::text;
