package e2e

// The emitted server scaled out as a deployment does it (scripts/scaleout): nginx balancing
// round robin over two instances, which reach PostgreSQL through PgBouncer in transaction
// pooling mode, with the rate limiter's PostgreSQL store on.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// rig is one scripts/scaleout: nginx in front of instances a and b, all on one database.
type rig struct {
	nginx, a, b *server
	accessLog   string
	stop        func() string // stops everything and returns the launcher's output
}

// startRig starts scripts/scaleout on a new database. pgxParams, when not nil, replaces the
// launcher's default query parameters for pgx (default_query_exec_mode=cache_describe).
func startRig(t *testing.T, pgxParams *string) *rig {
	t.Helper()
	needApp(t)
	needPgBouncerAndNginx(t)
	dbURL := newDatabase(t)
	info := filepath.Join(t.TempDir(), "info")
	args := []string{"../scripts/scaleout", "--info=" + info}
	if pgxParams != nil {
		args = append(args, "--pgx-params="+*pgxParams)
	}
	cmd := exec.Command("bash", append(args, app.server)...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "ADDR="+freeAddr(t), "KERNIA_SECRET="+secret,
		"KERNIA_BASE_URL=http://localhost:3000", "KERNIA_RATE_LIMIT=true", "KERNIA_RATE_LIMIT_STORAGE=database")
	// Its own process group, so that a launcher that does not stop in time can be killed
	// with everything it started.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	var once sync.Once
	stop := func() string {
		once.Do(func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(30 * time.Second):
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-exited
				t.Error("scripts/scaleout did not stop within 30 s of SIGTERM")
			}
		})
		return out.String()
	}
	t.Cleanup(func() {
		log := stop()
		if t.Failed() {
			t.Logf("scripts/scaleout output:\n%s", log)
		}
	})

	vars := waitForInfo(t, info, exited, out)
	db, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(context.Background()) })
	return &rig{
		nginx:     &server{url: vars["NGINX_URL"] + "/api/auth", db: db},
		a:         &server{url: vars["INSTANCE_A_URL"] + "/api/auth", db: db},
		b:         &server{url: vars["INSTANCE_B_URL"] + "/api/auth", db: db},
		accessLog: vars["ACCESS_LOG"],
		stop:      stop,
	}
}

// needPgBouncerAndNginx skips the test when PgBouncer or nginx is missing and cannot be
// installed (scripts/scaleout installs them with apt-get as root); under CI it fails.
func needPgBouncerAndNginx(t *testing.T) {
	t.Helper()
	missing := []string{}
	for _, tool := range []string{"pgbouncer", "nginx"} {
		if _, err := exec.LookPath(tool); err != nil {
			if _, err := os.Stat("/usr/sbin/" + tool); err != nil {
				missing = append(missing, tool)
			}
		}
	}
	if len(missing) == 0 || os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%v missing and not root to install them; CI requires them", missing)
	}
	t.Skipf("%v missing: install them (apt-get install pgbouncer nginx) or run as root", missing)
}

// waitForInfo waits until the launcher writes its info file (KEY=value lines).
func waitForInfo(t *testing.T, path string, exited <-chan struct{}, out *syncBuffer) map[string]string {
	t.Helper()
	// Long enough for apt-get to install PgBouncer and nginx on a fresh machine.
	deadline := time.After(4 * time.Minute)
	for {
		if b, err := os.ReadFile(path); err == nil {
			vars := map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				k, v, _ := strings.Cut(line, "=")
				vars[k] = v
			}
			return vars
		}
		select {
		case <-exited:
			t.Fatalf("scripts/scaleout exited before it was ready:\n%s", out.String())
		case <-deadline:
			t.Fatalf("scripts/scaleout was not ready within 4 minutes:\n%s", out.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// accessEntry is one line of the rig's nginx access log.
type accessEntry struct{ client, request, status, upstream string }

// accessLog returns the nginx access log's entries from index from on, waiting up to a
// second for want of them (nginx writes a line once the response has gone out).
func (r *rig) accessEntries(t *testing.T, from, want int) []accessEntry {
	t.Helper()
	line := regexp.MustCompile(`^(\S+) "([^"]*)" (\d{3}) (\S+)$`)
	var entries []accessEntry
	for deadline := time.Now().Add(time.Second); ; time.Sleep(20 * time.Millisecond) {
		b, err := os.ReadFile(r.accessLog)
		if err != nil {
			t.Fatal(err)
		}
		entries = entries[:0]
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			m := line.FindStringSubmatch(sc.Text())
			if m == nil {
				t.Fatalf("access log line %q", sc.Text())
			}
			entries = append(entries, accessEntry{m[1], m[2], m[3], m[4]})
		}
		if len(entries)-from >= want || time.Now().After(deadline) {
			break
		}
	}
	if len(entries)-from != want {
		t.Fatalf("access log has %d new entries, want %d: %v", len(entries)-from, want, entries[min(from, len(entries)):])
	}
	return entries[from:]
}

// upstreams returns the distinct instances (host:port) that served entries.
func upstreams(entries []accessEntry) map[string]bool {
	set := map[string]bool{}
	for _, e := range entries {
		set[e.upstream] = true
	}
	return set
}

// hostOf returns a server's host:port.
func hostOf(s *server) string {
	return strings.TrimSuffix(strings.TrimPrefix(s.url, "http://"), "/api/auth")
}

// callFrom sends a request from the loopback address src (127.0.0.2, ...), a client of its
// own as nginx sees it; headers are name, value pairs.
func callFrom(t *testing.T, src string, s *server, method, path, body string, headers ...string) response {
	t.Helper()
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	client := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true}}
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(b), cookies: resp.Header.Values("Set-Cookie")}
}

// anonymousGetSessions sends n cookie-less get-sessions through nginx and returns the
// answers. Each one runs the rate limiter's upsert on PostgreSQL, on a and b in turn.
func anonymousGetSessions(t *testing.T, r *rig, n int) []string {
	t.Helper()
	var got []string
	for range n {
		resp := r.nginx.call(t, "GET", "/get-session", "")
		got = append(got, fmt.Sprintf("%d %s", resp.status, resp.body))
	}
	return got
}

func TestScaleOut(t *testing.T) {
	t.Parallel()
	r := startRig(t, nil)
	seen := 0 // access-log entries looked at so far

	// The same requests that fail with pgx's default statement cache (below) all succeed.
	if got := anonymousGetSessions(t, r, 6); strings.Join(got, ",") != strings.Repeat("200 null,", 5)+"200 null" {
		t.Fatalf("get-session through nginx: %q", got)
	}
	entries := r.accessEntries(t, seen, 6)
	seen += 6
	if want := map[string]bool{hostOf(r.a): true, hostOf(r.b): true}; fmt.Sprint(upstreams(entries)) != fmt.Sprint(want) {
		t.Fatalf("nginx sent the requests to %v, want both instances %v", upstreams(entries), want)
	}

	var cookie, token string
	t.Run("a session made on one instance is valid on the other and through nginx", func(t *testing.T) {
		resp := r.a.call(t, "POST", "/sign-up/email", `{"name":"Scale","email":"scale@example.com","password":"password123"}`)
		if resp.status != 200 || len(resp.cookies) != 1 || !sessionCookie.MatchString(resp.cookies[0]) {
			t.Fatalf("sign-up on a: %d %q %s", resp.status, resp.cookies, resp.body)
		}
		token = sessionCookie.FindStringSubmatch(resp.cookies[0])[1]
		cookie = strings.Split(resp.cookies[0], ";")[0]

		onA := r.a.call(t, "GET", "/get-session", "", "Cookie", cookie)
		if onA.status != 200 || !strings.Contains(onA.body, `"token":"`+token+`"`) || !strings.Contains(onA.body, `"email":"scale@example.com"`) {
			t.Fatalf("get-session on a: %d %s", onA.status, onA.body)
		}
		// Every instance answers with the very same JSON: one session, one user.
		for name, s := range map[string]*server{"b": r.b, "nginx (1st)": r.nginx, "nginx (2nd)": r.nginx} {
			if got := s.call(t, "GET", "/get-session", "", "Cookie", cookie); got.status != 200 || got.body != onA.body {
				t.Errorf("get-session on %s: %d %s\nwant the body a gave: %s", name, got.status, got.body, onA.body)
			}
		}
		if got := upstreams(r.accessEntries(t, seen, 2)); len(got) != 2 {
			t.Errorf("the two get-sessions through nginx went to %v, want both instances", got)
		}
		seen += 2
		if n := r.a.count(t, `select count(*) from "session" where "token" = $1`, token); n != 1 {
			t.Errorf("%d session rows, want 1", n)
		}
	})
	if t.Failed() {
		return
	}

	t.Run("sign-out on b is seen by a", func(t *testing.T) {
		resp := r.b.call(t, "POST", "/sign-out", "{}", "Cookie", cookie, "Origin", "http://localhost:3000")
		if resp.status != 200 || resp.body != `{"success":true}` {
			t.Fatalf("sign-out on b: %d %s", resp.status, resp.body)
		}
		for name, s := range map[string]*server{"a": r.a, "nginx (1st)": r.nginx, "nginx (2nd)": r.nginx} {
			if got := s.call(t, "GET", "/get-session", "", "Cookie", cookie); got.status != 200 || got.body != "null" {
				t.Errorf("get-session on %s after sign-out: %d %s, want 200 null", name, got.status, got.body)
			}
		}
		if got := upstreams(r.accessEntries(t, seen, 2)); len(got) != 2 {
			t.Errorf("the two get-sessions through nginx went to %v, want both instances", got)
		}
		seen += 2
		if n := r.a.count(t, `select count(*) from "session" where "token" = $1`, token); n != 0 {
			t.Errorf("%d session rows after sign-out, want 0", n)
		}
	})

	t.Run("the PostgreSQL store holds sign-in's limit across both instances", func(t *testing.T) {
		// Clients 127.0.0.2 and 127.0.0.3 are two addresses as nginx sees them. nginx replaces
		// X-Forwarded-For with that address, so the header a client forges changes nothing.
		const wrong = `{"message":"Invalid email or password","code":"INVALID_EMAIL_OR_PASSWORD"}`
		creds := `{"email":"scale@example.com","password":"wrong-password"}`
		for i := 1; i <= 3; i++ {
			resp := callFrom(t, "127.0.0.2", r.nginx, "POST", "/sign-in/email", creds, "X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
			if resp.status != 401 || resp.body != wrong {
				t.Fatalf("sign-in %d: %d %s, want 401 %s", i, resp.status, resp.body, wrong)
			}
		}
		resp := callFrom(t, "127.0.0.2", r.nginx, "POST", "/sign-in/email", creds, "X-Forwarded-For", "203.0.113.4")
		retry, err := strconv.Atoi(resp.header.Get("X-Retry-After"))
		if resp.status != 429 || resp.body != `{"message":"Too many requests. Please try again later."}` ||
			resp.header.Get("Content-Type") != "application/json" || err != nil || retry < 1 || retry > 10 {
			t.Errorf("4th sign-in within 10 s: %d %s %v, want 429 with X-Retry-After in 1..10", resp.status, resp.body, resp.header)
		}
		entries := r.accessEntries(t, seen, 4)
		seen += 4
		// Each instance saw at most two of the three sign-ins let through, so a count kept
		// per instance would have let the fourth through as well.
		if got := upstreams(entries[:3]); len(got) != 2 {
			t.Errorf("the first three sign-ins went to %v, want both instances", got)
		}
		for _, e := range entries {
			if e.client != "127.0.0.2" {
				t.Errorf("nginx saw the client as %s, want 127.0.0.2", e.client)
			}
		}
		if n := r.a.count(t, `select "count" from "rateLimit" where "key" = '127.0.0.2|/sign-in/email'`); n != 3 {
			t.Errorf("rateLimit count for 127.0.0.2: %d, want 3", n)
		}
		if n := r.a.count(t, `select count(*) from "rateLimit" where "key" like '203.0.113.%'`); n != 0 {
			t.Errorf("%d rateLimit rows for the forged X-Forwarded-For addresses, want 0", n)
		}

		// Another client has a count of its own.
		if resp := callFrom(t, "127.0.0.3", r.nginx, "POST", "/sign-in/email", creds); resp.status != 401 || resp.body != wrong {
			t.Errorf("sign-in from 127.0.0.3: %d %s, want 401", resp.status, resp.body)
		}
		if n := r.a.count(t, `select "count" from "rateLimit" where "key" = '127.0.0.3|/sign-in/email'`); n != 1 {
			t.Errorf("rateLimit count for 127.0.0.3: %d, want 1", n)
		}
	})
}

// pgx's default query mode prepares named statements on the server connection it happens to
// have. PgBouncer in transaction mode (without max_prepared_statements, which scripts/scaleout
// leaves off on the versions that have it) lets the next transaction of either instance run on
// that connection too, so the same statement is prepared twice there (42P05) or looked for where
// it is not (26000). This is what default_query_exec_mode=cache_describe avoids.
func TestScaleOutPgxDefaultFailsBehindPgBouncer(t *testing.T) {
	t.Parallel()
	pgxDefault := ""
	r := startRig(t, &pgxDefault)

	got := anonymousGetSessions(t, r, 6)
	failed := 0
	for _, g := range got {
		switch g {
		case "200 null":
		case `500 {"message":"Internal server error","code":"INTERNAL_SERVER_ERROR"}`:
			failed++
		default:
			t.Errorf("answer %q", g)
		}
	}
	if failed == 0 {
		t.Fatalf("no get-session failed with pgx's default query mode behind PgBouncer: %q", got)
	}
	log := r.stop()
	if !strings.Contains(log, "(SQLSTATE 42P05)") && !strings.Contains(log, "(SQLSTATE 26000)") {
		t.Errorf("the instances' logs name no prepared-statement error (42P05, 26000):\n%s", log)
	}
}

// KERNIA_MIGRATE_DATABASE_URL, which the rig points straight at PostgreSQL, is where the
// emitted server migrates; DATABASE_URL is only served from.
func TestServerMigratesOverMigrateDatabaseURL(t *testing.T) {
	t.Parallel()
	needApp(t)
	served, migrated := newDatabase(t), newDatabase(t)
	addr := freeAddr(t)
	cmd := exec.Command(app.server)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+served, "KERNIA_MIGRATE_DATABASE_URL="+migrated,
		"KERNIA_SECRET="+secret, "KERNIA_BASE_URL=http://localhost:3000", "ADDR="+addr)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", out.String())
		}
	})
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/api/auth/ok"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not start")
		}
	}
	tables := func(url string) string {
		conn, err := pgx.Connect(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var names string
		err = conn.QueryRow(context.Background(), `select coalesce(string_agg(table_name, ',' order by table_name), '')
			from information_schema.tables where table_schema = 'public'`).Scan(&names)
		if err != nil {
			t.Fatal(err)
		}
		return names
	}
	if got := tables(served); got != "" {
		t.Errorf("tables in DATABASE_URL's database: %q, want none", got)
	}
	if got, want := tables(migrated), "account,kernia_db_version,rateLimit,session,user,verification"; got != want {
		t.Errorf("tables in KERNIA_MIGRATE_DATABASE_URL's database: %q, want %q", got, want)
	}
}
