-- name: GetAccountOwner :many
-- GetAccountOwner returns the account a provider's user is linked to, with its user: Better
-- Auth's findAccountOwnerByKey. It reads two rows so that the caller can refuse a key that
-- two accounts share instead of picking one.
select sqlc.embed(a), sqlc.embed(u)
from {{table "account"}} a
join {{table "user"}} u on u.{{user "id"}} = a.{{account "userId"}}
where a.{{account "providerId"}} = sqlc.arg(provider_id) and a.{{account "accountId"}} = sqlc.arg(account_id)
limit 2;

-- name: UpdateAccountTokens :one
-- UpdateAccountTokens stores the tokens of a later sign-in with the provider. A token the
-- provider did not send (null here) keeps its stored value, as Better Auth leaves out the
-- fields it has no value for; the scope is not changed (only linking adds scopes).
update {{table "account"}}
set {{account "idToken"}} = coalesce(sqlc.narg(id_token), {{account "idToken"}}),
    {{account "accessToken"}} = coalesce(sqlc.narg(access_token), {{account "accessToken"}}),
    {{account "refreshToken"}} = coalesce(sqlc.narg(refresh_token), {{account "refreshToken"}}),
    {{account "accessTokenExpiresAt"}} = coalesce(sqlc.narg(access_token_expires_at), {{account "accessTokenExpiresAt"}}),
    {{account "refreshTokenExpiresAt"}} = coalesce(sqlc.narg(refresh_token_expires_at), {{account "refreshTokenExpiresAt"}}),
    {{account "updatedAt"}} = sqlc.arg(updated_at)
where {{account "id"}} = sqlc.arg(id)
returning {{columns "account"}};

-- name: DeleteUserAccount :execrows
-- DeleteUserAccount removes one account of a user (POST /unlink-account).
delete from {{table "account"}}
where {{account "id"}} = sqlc.arg(id) and {{account "userId"}} = sqlc.arg(user_id);
