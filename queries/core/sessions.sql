-- Session management: listing and revoking a user's sessions.

-- name: ListUserSessions :many
-- The user's unexpired sessions, oldest first.
select "id", "expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId"
from {{table "session"}}
where "userId" = $1 and "expiresAt" > sqlc.arg(now)
order by "createdAt", "id";

-- name: DeleteUserSession :execrows
-- Deletes a session only if it belongs to the user, so that nobody can end another user's
-- session by guessing its token.
delete from {{table "session"}} where "token" = $1 and "userId" = $2;

-- name: DeleteUserSessions :exec
delete from {{table "session"}} where "userId" = $1;

-- name: DeleteOtherSessions :exec
-- Deletes the user's unexpired sessions except the one with the given token. Expired ones are
-- left for their next lookup to remove, as Better Auth does.
delete from {{table "session"}}
where "userId" = $1 and "token" <> sqlc.arg(keep) and "expiresAt" > sqlc.arg(now);
