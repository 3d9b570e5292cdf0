-- name: CreateUser :one
insert into {{table "user"}} ("id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt")
values ($1, $2, $3, $4, $5, $6, $7)
returning "id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt";

-- name: GetUserByEmail :one
select "id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"
from {{table "user"}}
where "email" = $1;

-- name: CreateAccount :exec
insert into {{table "account"}} ("id", "accountId", "providerId", "userId", "password", "createdAt", "updatedAt")
values ($1, $2, $3, $4, $5, $6, $7);

-- name: GetCredentialPassword :one
-- The password hash of the user's credential account: providerId "credential" and, as Better
-- Auth 1.7.3+ requires at sign-in, accountId equal to the user's id.
select "password"
from {{table "account"}}
where "userId" = sqlc.arg(user_id) and "accountId" = sqlc.arg(user_id) and "providerId" = 'credential'
limit 1;

-- name: CreateSession :one
insert into {{table "session"}} ("id", "expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId")
values ($1, $2, $3, $4, $5, $6, $7, $8)
returning "id", "expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId";

-- name: GetSessionAndUser :one
-- One indexed lookup serves every authenticated request: the session by its unique token,
-- joined to its user.
select sqlc.embed(s), sqlc.embed(u)
from {{table "session"}} s
join {{table "user"}} u on u."id" = s."userId"
where s."token" = $1;

-- name: ExtendSession :one
update {{table "session"}}
set "expiresAt" = $2, "updatedAt" = $3
where "token" = $1
returning "id", "expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId";

-- name: DeleteSession :exec
delete from {{table "session"}} where "token" = $1;

-- Core queries: users, credential accounts and sessions. Column lists are spelled out so that
-- a column added by a later plugin migration never changes the shape of these results.
