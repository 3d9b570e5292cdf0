// Command server mounts the auth package on chi: the auth endpoints under /api/auth,
// GET /api/me for signed-in users only, and CORS for a frontend on another origin.
//
// Environment:
//
//	DATABASE_URL            PostgreSQL connection string
//	KERNIA_SECRET           cookie-signing secret, at least 32 bytes
//	KERNIA_BASE_URL         this server's public URL, e.g. http://localhost:8080
//	KERNIA_TRUSTED_ORIGINS  the frontend's origin, e.g. http://localhost:5173
//	ADDR                    listen address (default :8080)
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"example.com/app/internal/auth"
)

func main() {
	a, cfg := setUp(context.Background())

	r := chi.NewRouter()
	// CORS comes first, before routing, so that every route's preflight is answered. It
	// allows the trusted origins: KERNIA_TRUSTED_ORIGINS names the frontend once for both.
	r.Use(a.CORS)
	r.Mount(cfg.BasePath, a.Handler())
	r.With(a.RequireSession).Get("/api/me", me)

	serve(r)
}

// me answers with the signed-in user: RequireSession attached the session.
func me(w http.ResponseWriter, r *http.Request) {
	s, _ := auth.SessionFrom(r.Context())
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s.User)
}

// setUp migrates the database and builds the auth package from the environment.
func setUp(ctx context.Context) (*auth.Auth, auth.Config) {
	cfg := auth.ConfigFromEnv()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	if err := auth.Migrate(ctx, pool); err != nil {
		log.Fatal(err)
	}
	a, err := auth.New(cfg, pool)
	if err != nil {
		log.Fatal(err)
	}
	return a, cfg
}

func serve(h http.Handler) {
	srv := &http.Server{Addr: cmp.Or(os.Getenv("ADDR"), ":8080"), Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("listening on %s", srv.Addr)
	log.Fatal(srv.ListenAndServe())
}
