-- name: CreateUser :one
insert into {{table "user"}} ({{insertColumns "user"}})
values ({{values "user"}})
returning {{columns "user"}};

-- name: GetUserByEmail :one
select {{columns "user"}}
from {{table "user"}}
where {{user "email"}} = $1;

-- name: CreateAccount :exec
insert into {{table "account"}} ({{insertColumns "account"}})
values ({{values "account"}});

-- name: GetCredentialPassword :one
-- The password hash of the user's credential account: providerId "credential" and, as Better
-- Auth 1.7.3+ requires at sign-in, accountId equal to the user's id.
select {{account "password"}}
from {{table "account"}}
where {{account "userId"}} = sqlc.arg(user_id) and {{account "accountId"}} = {{account "userId"}}::text and {{account "providerId"}} = 'credential'
limit 1;

-- name: CreateSession :one
insert into {{table "session"}} ({{insertColumns "session"}})
values ({{values "session"}})
returning {{columns "session"}};

-- name: GetSessionAndUser :one
-- One indexed lookup serves every authenticated request: the session by its unique token,
-- joined to its user.
select sqlc.embed(s), sqlc.embed(u)
from {{table "session"}} s
join {{table "user"}} u on u.{{user "id"}} = s.{{session "userId"}}
where s.{{session "token"}} = $1;

-- name: ExtendSession :one
update {{table "session"}}
set {{session "expiresAt"}} = $2, {{session "updatedAt"}} = $3
where {{session "token"}} = $1
returning {{columns "session"}};

-- name: DeleteSession :exec
delete from {{table "session"}} where {{session "token"}} = $1;

-- Core queries: users, credential accounts and sessions. Column lists are spelled out so that
-- a column added by a later plugin migration never changes the shape of these results.
