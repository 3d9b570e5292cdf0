// Command ceiling is the bench's physical ceiling: a bare net/http + pgxpool server that does
// only the unavoidable work of each benchmarked endpoint, on the same database, cookies and
// JSON as Better Auth. Nothing that serves these endpoints correctly can be faster with the
// same PostgreSQL. It has no origin checks, no session refresh, no rate limiting and no
// plugins, and must never be used as an auth server.
//
// Environment: DATABASE_URL, KERNIA_SECRET, ADDR (default 127.0.0.1:0). It prints
// "ready <url>" once it accepts requests.
package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	s := &server{db: pool, secret: []byte(os.Getenv("KERNIA_SECRET"))}
	if len(s.secret) == 0 {
		log.Fatal("KERNIA_SECRET is not set")
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/auth/get-session", s.getSession)
	mux.HandleFunc("GET /api/auth/list-sessions", s.listSessions)
	mux.HandleFunc("POST /api/auth/sign-in/email", s.signIn)
	mux.HandleFunc("POST /api/auth/sign-up/email", s.signUp)

	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("ready http://%s\n", ln.Addr())
	srv := &http.Server{Handler: mux}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
