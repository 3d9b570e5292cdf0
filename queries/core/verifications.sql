-- Verification rows: the single-use tokens of password reset and account deletion. The token
-- is part of the identifier ("reset-password:<token>", "delete-account-<token>"); the value is
-- the user's id.

-- name: CreateVerification :exec
insert into {{table "verification"}} ({{insertColumns "verification"}})
values ({{values "verification"}});

-- name: GetVerification :one
-- The newest row for an identifier, expired or not; the caller checks expiresAt.
select {{verification "value"}}, {{verification "expiresAt"}}
from {{table "verification"}}
where {{verification "identifier"}} = $1
order by {{verification "createdAt"}} desc
limit 1;

-- name: ConsumeVerification :many
-- Deletes every row of an identifier and returns them, newest first. It is one statement, so
-- of two requests racing with one token exactly one gets the rows: a token is used once.
with consumed as (
  delete from {{table "verification"}} where {{verification "identifier"}} = $1
  returning {{verification "value"}}, {{verification "expiresAt"}}, {{verification "createdAt"}}
)
select {{verification "value"}}, {{verification "expiresAt"}} from consumed order by {{verification "createdAt"}} desc;

-- name: DeleteExpiredVerifications :execrows
-- Deletes up to sqlc.arg(batch) rows that expired before sqlc.arg(now): Better Auth's
-- cleanup of stale tokens, bounded so that one request never deletes a long backlog at once.
delete from {{table "verification"}}
where {{verification "id"}} in (
  select v.{{verification "id"}} from {{table "verification"}} v where v.{{verification "expiresAt"}} < sqlc.arg(now) limit sqlc.arg(batch)
);
