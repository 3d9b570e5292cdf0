-- Session management: listing and revoking a user's sessions.

-- name: ListUserSessions :many
-- The user's unexpired sessions, oldest first.
select {{columns "session"}}
from {{table "session"}}
where {{session "userId"}} = $1 and {{session "expiresAt"}} > sqlc.arg(now)
order by {{session "createdAt"}}, {{session "id"}};

-- name: DeleteUserSession :execrows
-- Deletes a session only if it belongs to the user, so that nobody can end another user's
-- session by guessing its token.
delete from {{table "session"}} where {{session "token"}} = $1 and {{session "userId"}} = $2;

-- name: DeleteUserSessions :exec
delete from {{table "session"}} where {{session "userId"}} = $1;

-- name: DeleteOtherSessions :exec
-- Deletes the user's unexpired sessions except the one with the given token. Expired ones are
-- left for their next lookup to remove, as Better Auth does.
delete from {{table "session"}}
where {{session "userId"}} = $1 and {{session "token"}} <> sqlc.arg(keep) and {{session "expiresAt"}} > sqlc.arg(now);

-- name: UpdateSessionFields :one
-- Sets the additional fields of kernia.yaml whose set_ flags are true, as update-session does,
-- on the session with the given token.
update {{table "session"}}
set {{- updateFields "session"}}
    {{session "updatedAt"}} = sqlc.arg(updated_at)
where {{session "token"}} = sqlc.arg(token)
returning {{columns "session"}};
