-- name: ListSessionsByTokens :many
-- The sessions of a browser's session list, with their users, in one query.
select sqlc.embed(s), sqlc.embed(u)
from {{table "session"}} s
join {{table "user"}} u on u.{{user "id"}} = s.{{session "userId"}}
where s.{{session "token"}} = any(sqlc.arg(tokens)::text[]);

-- name: DeleteSessionsByTokens :exec
delete from {{table "session"}} where {{session "token"}} = any(sqlc.arg(tokens)::text[]);
