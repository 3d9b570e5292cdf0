-- name: ConsumeRateLimit :one
-- Counts one request and decides in a single statement, so that concurrent requests, from
-- this instance or another, cannot all pass on a stale count (the conflicting row is locked
-- and re-checked). Better Auth's rule: a new key, or one whose last counted request is at
-- least a window old, starts again at 1; otherwise the count goes up while it is below max.
-- A refused request changes nothing; last_request then tells when the window ends.
with counted as (
{{- if .DatabaseAssignsIDs}}
  insert into {{table "rateLimit"}} as stored ({{rateLimit "key"}}, {{rateLimit "count"}}, {{rateLimit "lastRequest"}})
  values (sqlc.arg(key), 1, sqlc.arg(now)::bigint)
{{- else}}
  insert into {{table "rateLimit"}} as stored ({{rateLimit "id"}}, {{rateLimit "key"}}, {{rateLimit "count"}}, {{rateLimit "lastRequest"}})
  values (sqlc.arg(id), sqlc.arg(key), 1, sqlc.arg(now)::bigint)
{{- end}}
  on conflict ({{rateLimit "key"}}) do update
  set {{rateLimit "count"}} = case
        when excluded.{{rateLimit "lastRequest"}} - stored.{{rateLimit "lastRequest"}} >= sqlc.arg(window_ms)::bigint then 1
        else stored.{{rateLimit "count"}} + 1
      end,
      -- Instances' clocks may differ a little; the window never moves backwards.
      {{rateLimit "lastRequest"}} = greatest(excluded.{{rateLimit "lastRequest"}}, stored.{{rateLimit "lastRequest"}})
  where excluded.{{rateLimit "lastRequest"}} - stored.{{rateLimit "lastRequest"}} >= sqlc.arg(window_ms)::bigint
     or stored.{{rateLimit "count"}} < sqlc.arg(max)::integer
  returning {{rateLimit "lastRequest"}}
)
select
  exists (select 1 from counted) as allowed,
  coalesce(
    (select {{rateLimit "lastRequest"}} from counted),
    (select r.{{rateLimit "lastRequest"}} from {{table "rateLimit"}} r where r.{{rateLimit "key"}} = sqlc.arg(key)),
    sqlc.arg(now)::bigint
  )::bigint as last_request;

-- name: DeleteExpiredRateLimits :exec
delete from {{table "rateLimit"}} where {{rateLimit "lastRequest"}} < sqlc.arg(before)::bigint;
