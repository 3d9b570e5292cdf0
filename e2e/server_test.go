package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

const secret = "test-secret-that-is-long-enough-0123456789abcdef"

// server is the emitted server, running as a process on its own database.
type server struct {
	*process
	url string // http://127.0.0.1:port/api/auth
	db  *pgx.Conn
}

// process is a server binary the test started.
type process struct {
	root string // http://127.0.0.1:port
	cmd  *exec.Cmd
	log  *processLog
	once sync.Once
}

// processLog collects a process's output while the test reads it.
type processLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *processLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *processLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServer runs the emitted server with the given base URL on a database of its own and
// waits until /ok answers.
func startServer(t *testing.T, baseURL string) *server {
	t.Helper()
	needApp(t)
	return startBinary(t, app.server, baseURL)
}

// startBinary runs a server built from an emitted module, on a new database.
func startBinary(t *testing.T, bin, baseURL string) *server {
	t.Helper()
	return runServerBinary(t, bin, newDatabase(t), "KERNIA_BASE_URL="+baseURL)
}

// runServer runs the emitted server on the database at dbURL, with env (NAME=value) added
// to the environment, and waits until /ok answers.
func runServer(t *testing.T, dbURL string, env ...string) *server {
	t.Helper()
	needApp(t)
	return runServerBinary(t, app.server, dbURL, env...)
}

func runServerBinary(t *testing.T, bin, dbURL string, env ...string) *server {
	t.Helper()
	// The rate limiter is off, as in the conformance harness's groups: these flows send many
	// requests without a client address, which would share one count per path. The emitted
	// package's own tests and the harness's rate-limit groups cover the limiter.
	env = append([]string{"DATABASE_URL=" + dbURL, "KERNIA_SECRET=" + secret, "KERNIA_RATE_LIMIT=false"}, env...)
	p := startProcess(t, bin, "/api/auth/ok", env...)
	db, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	return &server{process: p, url: p.root + "/api/auth", db: db}
}

// startProcess runs a server binary on a free loopback address (ADDR) with env added to its
// environment and waits until readyPath answers. The process is interrupted when the test
// ends; its output is logged if the test failed.
func startProcess(t *testing.T, bin, readyPath string, env ...string) *process {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin)
	cmd.Env = append(append(os.Environ(), "ADDR="+addr), env...)
	log := &processLog{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{root: "http://" + addr, cmd: cmd, log: log}
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("%s log:\n%s", filepath.Base(bin), log.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(p.root + readyPath)
		if err == nil {
			resp.Body.Close()
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not start: %v\n%s", filepath.Base(bin), err, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends the process as a deployment would, with SIGINT, and waits for it to exit.
func (p *process) stop() {
	p.once.Do(func() {
		_ = p.cmd.Process.Signal(os.Interrupt)
		_ = p.cmd.Wait()
	})
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

type response struct {
	status  int
	header  http.Header
	body    string
	cookies []string
}

// call sends a request; headers are name, value pairs. A body is sent as JSON.
func (s *server) call(t *testing.T, method, path, body string, headers ...string) response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.url+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req) // no redirects followed
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(b), cookies: resp.Header.Values("Set-Cookie")}
}

func (s *server) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var sessionCookie = regexp.MustCompile(`^better-auth\.session_token=([A-Za-z0-9]{32})\.[A-Za-z0-9%]+%3D; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax$`)

func TestServerCoreFlow(t *testing.T) {
	s := startServer(t, "http://localhost:3000")

	if r := s.call(t, "GET", "/ok", ""); r.status != 200 || r.body != `{"ok":true}` {
		t.Fatalf("/ok: %d %s", r.status, r.body)
	}

	r := s.call(t, "POST", "/sign-up/email", `{"name":"Alice","email":"Alice@Example.COM","password":"password123"}`)
	if r.status != 200 || len(r.cookies) != 1 || !sessionCookie.MatchString(r.cookies[0]) {
		t.Fatalf("sign-up: %d %q %s", r.status, r.cookies, r.body)
	}
	var signUp struct {
		Token string
		User  struct{ ID, Email string }
	}
	if err := json.Unmarshal([]byte(r.body), &signUp); err != nil || signUp.User.Email != "alice@example.com" {
		t.Fatalf("sign-up body %s: %v", r.body, err)
	}
	if token := sessionCookie.FindStringSubmatch(r.cookies[0])[1]; token != signUp.Token {
		t.Errorf("cookie token %s, body token %s", token, signUp.Token)
	}
	cookie := strings.Split(r.cookies[0], ";")[0]

	if n := s.count(t, `select count(*) from "user" where "id" = $1 and "email" = 'alice@example.com' and not "emailVerified"`, signUp.User.ID); n != 1 {
		t.Errorf("user rows: %d", n)
	}
	if n := s.count(t, `select count(*) from "account" where "userId" = $1 and "accountId" = $1 and "providerId" = 'credential' and length("password") = 161 and "password" ~ '^[0-9a-f]{32}:[0-9a-f]{128}$'`, signUp.User.ID); n != 1 {
		t.Errorf("credential account rows: %d", n)
	}
	if n := s.count(t, `select count(*) from "session" where "token" = $1 and "expiresAt" > now() + interval '6 days 23 hours'`, signUp.Token); n != 1 {
		t.Errorf("session rows: %d", n)
	}

	r = s.call(t, "GET", "/get-session", "", "Cookie", cookie)
	if r.status != 200 || !strings.Contains(r.body, `"token":"`+signUp.Token+`"`) || !strings.Contains(r.body, `"email":"alice@example.com"`) || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("get-session: %d %s", r.status, r.body)
	}

	r = s.call(t, "POST", "/sign-in/email", `{"email":"alice@example.com","password":"wrong-password"}`)
	if r.status != 401 || r.body != `{"message":"Invalid email or password","code":"INVALID_EMAIL_OR_PASSWORD"}` {
		t.Errorf("wrong password: %d %s", r.status, r.body)
	}

	r = s.call(t, "POST", "/sign-in/email", `{"email":"alice@example.com","password":"password123","rememberMe":false}`)
	if r.status != 200 || len(r.cookies) != 2 ||
		!regexp.MustCompile(`^better-auth\.session_token=[A-Za-z0-9]{32}\.[A-Za-z0-9%]+; Path=/; HttpOnly; SameSite=Lax$`).MatchString(r.cookies[0]) ||
		r.cookies[1] != "better-auth.dont_remember=true.Mpcl0Ofs8awkUzCM8e6x77KCIKgEjwZ7AGA5U0wDkZg%3D; Path=/; HttpOnly; SameSite=Lax" {
		t.Errorf("rememberMe false: %d %q", r.status, r.cookies)
	}

	r = s.call(t, "POST", "/sign-out", "{}", "Cookie", cookie, "Origin", "http://localhost:3000")
	want := []string{
		"better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
		"better-auth.session_data=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
		"better-auth.dont_remember=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
	}
	if r.status != 200 || r.body != `{"success":true}` || fmt.Sprint(r.cookies) != fmt.Sprint(want) {
		t.Errorf("sign-out: %d %s %q", r.status, r.body, r.cookies)
	}
	if n := s.count(t, `select count(*) from "session" where "token" = $1`, signUp.Token); n != 0 {
		t.Error("sign-out left the session row")
	}
	if r = s.call(t, "GET", "/get-session", "", "Cookie", cookie); r.body != "null" {
		t.Errorf("get-session after sign-out: %s", r.body)
	}
}

// Bad input gets a clear error and writes nothing.
func TestServerBadInput(t *testing.T) {
	s := startServer(t, "http://localhost:3000")
	tests := []struct {
		name, path, body string
		headers          []string
		status           int
		want             string
	}{
		{"malformed JSON", "/sign-up/email", `{"name":`, nil, 400, `{"message":"Invalid JSON in request body","code":"BAD_REQUEST"}`},
		{"wrong type", "/sign-up/email", `{"name":1,"email":"a@example.com","password":"password123"}`, nil, 400, `{"message":"[body.name] Invalid input: expected string, received number","code":"VALIDATION_ERROR"}`},
		{"missing field", "/sign-up/email", `{"name":"A","email":"a@example.com"}`, nil, 400, `{"message":"[body.password] Invalid input: expected string, received undefined","code":"VALIDATION_ERROR"}`},
		{"wrong content type", "/sign-in/email", `{}`, []string{"Content-Type", "text/plain"}, 415, `{"message":"Content-Type \"text/plain\" is not allowed. Allowed types: application/x-www-form-urlencoded, application/json","code":"UNSUPPORTED_MEDIA_TYPE"}`},
		{"short password", "/sign-up/email", `{"name":"A","email":"a@example.com","password":"short"}`, nil, 400, `{"message":"Password too short","code":"PASSWORD_TOO_SHORT"}`},
		{"long password", "/sign-up/email", `{"name":"A","email":"a@example.com","password":"` + strings.Repeat("p", 129) + `"}`, nil, 400, `{"message":"Password too long","code":"PASSWORD_TOO_LONG"}`},
		{"body past the cap", "/sign-up/email", `{"name":"` + strings.Repeat("n", 2<<20) + `"}`, nil, 413, `{"message":"Request body is too large","code":"PAYLOAD_TOO_LARGE"}`},
	}
	for _, tt := range tests {
		r := s.call(t, "POST", tt.path, tt.body, tt.headers...)
		if r.status != tt.status || r.body != tt.want {
			t.Errorf("%s: %d %s, want %d %s", tt.name, r.status, r.body, tt.status, tt.want)
		}
	}
	s.call(t, "POST", "/sign-up/email", `{"name":"A","email":"a@example.com","password":"password123"}`)
	r := s.call(t, "POST", "/sign-up/email", `{"name":"B","email":"A@EXAMPLE.com","password":"password123"}`)
	if r.status != 422 || r.body != `{"message":"User already exists. Use another email.","code":"USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL"}` {
		t.Errorf("duplicate: %d %s", r.status, r.body)
	}
	for _, c := range []string{"better-auth.session_token=forged.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D", "better-auth.session_token=%%%", strings.Repeat("a=b; ", 200)} {
		if r := s.call(t, "GET", "/get-session", "", "Cookie", c); r.status != 200 || r.body != "null" {
			t.Errorf("cookie %.40q: %d %s", c, r.status, r.body)
		}
	}
	if n := s.count(t, `select count(*) from "user"`); n != 1 {
		t.Errorf("%d users after the bad requests, want 1", n)
	}
	if n := s.count(t, `select count(*) from "account"`); n != 1 {
		t.Errorf("%d accounts after the bad requests, want 1", n)
	}
}

func TestServerHTTPSBaseURL(t *testing.T) {
	s := startServer(t, "https://app.example.com")
	r := s.call(t, "POST", "/sign-up/email", `{"name":"A","email":"a@example.com","password":"password123"}`)
	if len(r.cookies) != 1 || !regexp.MustCompile(`^__Secure-better-auth\.session_token=[A-Za-z0-9]{32}\.[A-Za-z0-9%]+%3D; Max-Age=604800; Path=/; HttpOnly; Secure; SameSite=Lax$`).MatchString(r.cookies[0]) {
		t.Errorf("https sign-up cookies: %q", r.cookies)
	}
}
