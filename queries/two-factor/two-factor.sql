-- name: GetTwoFactorByUserID :one
-- GetTwoFactorByUserID returns the user's second-factor row: the encrypted TOTP secret and
-- backup codes, and the failure count of the account lockout.
select {{columns "twoFactor"}}
from {{table "twoFactor"}}
where {{twoFactor "userId"}} = $1
limit 1;

-- name: CreateTwoFactor :exec
-- CreateTwoFactor stores a new enrolment.
insert into {{table "twoFactor"}} ({{insertColumns "twoFactor"}})
values ({{values "twoFactor"}});

-- name: ReplaceTwoFactorSecret :exec
-- ReplaceTwoFactorSecret gives an enrolment that was never verified a new secret and codes.
update {{table "twoFactor"}}
set {{twoFactor "secret"}} = sqlc.arg(secret), {{twoFactor "backupCodes"}} = sqlc.arg(backup_codes),
    {{twoFactor "verified"}} = sqlc.arg(verified)
where {{twoFactor "id"}} = sqlc.arg(id);

-- name: MarkTwoFactorVerified :exec
-- MarkTwoFactorVerified records the first correct TOTP code of an enrolment.
update {{table "twoFactor"}} set {{twoFactor "verified"}} = true where {{twoFactor "id"}} = $1;

-- name: SetTwoFactorBackupCodes :exec
-- SetTwoFactorBackupCodes replaces the backup codes (generate-backup-codes).
update {{table "twoFactor"}} set {{twoFactor "backupCodes"}} = sqlc.arg(backup_codes) where {{twoFactor "id"}} = sqlc.arg(id);

-- name: SwapTwoFactorBackupCodes :execrows
-- SwapTwoFactorBackupCodes replaces the backup codes only if they are still those that were
-- read: of two requests spending codes at once, one changes the row and the other none, so a
-- backup code works once.
update {{table "twoFactor"}} set {{twoFactor "backupCodes"}} = sqlc.arg(backup_codes)
where {{twoFactor "id"}} = sqlc.arg(id) and {{twoFactor "backupCodes"}} = sqlc.arg(old_backup_codes);

-- name: DeleteTwoFactor :exec
-- DeleteTwoFactor removes the user's enrolment (disable).
delete from {{table "twoFactor"}} where {{twoFactor "userId"}} = $1;

-- name: CountTwoFactorFailure :one
-- CountTwoFactorFailure adds one failed verification to the account's count, atomically, and
-- returns the new count; a null count (a row written before the column) counts from zero.
update {{table "twoFactor"}}
set {{twoFactor "failedVerificationCount"}} = coalesce({{twoFactor "failedVerificationCount"}}, 0) + 1
where {{twoFactor "id"}} = $1
returning {{twoFactor "failedVerificationCount"}};

-- name: LockTwoFactor :exec
-- LockTwoFactor locks the account's second factor until sqlc.arg(locked_until) once its
-- failure count has reached sqlc.arg(max_failures).
update {{table "twoFactor"}} set {{twoFactor "lockedUntil"}} = sqlc.arg(locked_until)
where {{twoFactor "id"}} = sqlc.arg(id) and {{twoFactor "failedVerificationCount"}} >= sqlc.arg(max_failures)::integer;

-- name: UnlockExpiredTwoFactor :exec
-- UnlockExpiredTwoFactor clears a lock that has run out, with its failure count.
update {{table "twoFactor"}}
set {{twoFactor "failedVerificationCount"}} = 0, {{twoFactor "lockedUntil"}} = null
where {{twoFactor "id"}} = sqlc.arg(id) and {{twoFactor "lockedUntil"}} <= sqlc.arg(now);

-- name: ResetTwoFactorFailures :exec
-- ResetTwoFactorFailures clears the failure count after a correct code, so that only
-- consecutive failures lock the account.
update {{table "twoFactor"}}
set {{twoFactor "failedVerificationCount"}} = 0, {{twoFactor "lockedUntil"}} = null
where {{twoFactor "id"}} = $1;
