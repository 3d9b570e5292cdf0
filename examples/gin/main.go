// Command server mounts the auth package on Gin: the auth endpoints under /api/auth,
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
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"

	"example.com/app/internal/auth"
)

func main() {
	a, cfg := setUp(context.Background())

	r := gin.New()
	// Gin runs these middlewares on unmatched routes too, so every route's preflight is
	// answered. CORS allows the trusted origins: KERNIA_TRUSTED_ORIGINS names the frontend
	// once for both.
	r.Use(gin.Recovery(), middleware(a.CORS))
	r.Any(cfg.BasePath+"/*path", gin.WrapH(a.Handler()))
	r.GET("/api/me", middleware(a.RequireSession), me)

	serve(r)
}

// me answers with the signed-in user: RequireSession attached the session to the request.
func me(c *gin.Context) {
	s, _ := auth.SessionFrom(c.Request.Context())
	c.JSON(http.StatusOK, s.User)
}

// middleware runs a net/http middleware, such as a.RequireSession or a.CORS, in Gin's chain.
// The rest of the chain is its next handler and sees the request it passes on, which carries
// the session. When it answers by itself (a 401, a preflight), the chain stops there. The
// chain keeps writing to Gin's writer, which suits middlewares that do not wrap it, as these two.
func middleware(m func(http.Handler) http.Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		next := false
		m(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			next = true
			c.Request = r
			c.Next()
		})).ServeHTTP(c.Writer, c.Request)
		if !next {
			c.Abort()
		}
	}
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
