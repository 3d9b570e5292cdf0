package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"time"

	"github.com/jackc/pgx/v5"
)

// Cost as the data grows: before each size, the user and session tables are filled up to that
// many sessions (one user each) with COPY, then get-session and sign-in are measured as in the
// main table. The lookups are indexed, so their latency should hardly move; growthRow keeps
// the figures to show it.

// growthRow is one workload on one server with the tables at one size.
type growthRow struct {
	Sessions int    `json:"sessions"`
	Workload string `json:"workload"`
	Server   string `json:"server"`
	measurement
}

// growthWorkloads are the workloads measured at each size.
var growthWorkloads = []string{"get-session-cookie", "sign-in"}

// measureGrowth grows the tables to each size in turn (sizes ascending) and measures the
// growth workloads on each of sides.
func measureGrowth(dbURL string, sizes []int, ws []workload, sides []string, serverFor func(workload, string) *server, o options) ([]growthRow, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	var rows []growthRow
	have := 0
	for _, size := range sizes {
		if size > have {
			started := time.Now()
			if err := addSessions(ctx, conn, have, size-have); err != nil {
				return nil, err
			}
			if _, err := conn.Exec(ctx, `analyze "user"; analyze "session"`); err != nil {
				return nil, err
			}
			log.Printf("growth: %d sessions (%d added in %.0f s)", size, size-have, time.Since(started).Seconds())
			have = size
		}
		for _, key := range growthWorkloads {
			w := byKey(ws, key)
			l := load{concurrency: o.concurrency, warmup: o.warmup, duration: o.duration}
			if w.scrypt {
				l.concurrency = o.scryptConcurrency
			}
			r, err := measure(w, sides, serverFor, l, o.rounds)
			if err != nil {
				return nil, err
			}
			for _, side := range sides {
				m := r.By[side]
				rows = append(rows, growthRow{Sessions: size, Workload: w.title, Server: side, measurement: m})
				log.Printf("growth %9d sessions  %-22s %-13s %8.0f req/s  p50 %6.2f ms  p99 %7.2f ms",
					size, w.title, side, m.RPS, m.P50ms, m.P99ms)
			}
		}
	}
	return rows, nil
}

// addSessions copies n users, each with one live session, into the tables, numbered from
// first. Tokens are random, as real ones are, so that the token index grows as it would.
func addSessions(ctx context.Context, conn *pgx.Conn, first, n int) error {
	now := time.Now().UTC()
	expires := now.Add(7 * 24 * time.Hour)
	id := func(kind string, i int) string { return fmt.Sprintf("growth%s%024d", kind, first+i) }
	users := pgx.CopyFromSlice(n, func(i int) ([]any, error) {
		return []any{id("u", i), "Growth User", fmt.Sprintf("growth-%d@bench.example", first+i), false, now, now}, nil
	})
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"user"},
		[]string{"id", "name", "email", "emailVerified", "createdAt", "updatedAt"}, users); err != nil {
		return fmt.Errorf("copying users: %w", err)
	}
	var copyErr error
	sessions := pgx.CopyFromSlice(n, func(i int) ([]any, error) {
		token, err := randomToken()
		if err != nil {
			copyErr = err
			return nil, err
		}
		return []any{id("s", i), expires, token, now, now, "127.0.0.1", "bench", id("u", i)}, nil
	})
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"session"},
		[]string{"id", "expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId"}, sessions); err != nil {
		return fmt.Errorf("copying sessions: %w", err)
	}
	return copyErr
}

// tokenAlphabet is Better Auth's alphabet for session tokens.
const tokenAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomToken is a random 32-character token like the ones Better Auth issues. The slight
// bias of the modulo does not matter to an index's shape.
func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = tokenAlphabet[int(b[i])%len(tokenAlphabet)]
	}
	return string(b), nil
}
