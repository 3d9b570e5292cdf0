package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The emitted server under load while its PostgreSQL goes away: stopped with pg_ctl stop -m
// fast (connections dropped mid-query, then refused), started again, then frozen with
// SIGSTOP (connections open, nothing answers) and thawed. Every answer must be the endpoint's
// own or a 503 SERVICE_UNAVAILABLE, the server must recover by itself, and every row must be
// consistent afterwards. The timeline is logged (go test -v -run TestServerDatabaseFaults
// ./e2e/).
//
// Two kinds of client send: account lifecycles, whose requests hash passwords (scrypt, 32 MiB
// and tens of milliseconds each, queued on a busy machine), and a probe that reads a session
// every 100 ms, whose time is all database time. The probe's answers must all come within
// faultBound; a lifecycle request must be answered at all (the client gives up after 30 s).

const (
	// faultDBTimeout is the server's KERNIA_DATABASE_TIMEOUT here.
	faultDBTimeout = time.Second
	// faultBound is the longest a probe may wait: the database timeout and some slack.
	faultBound = faultDBTimeout + 2*time.Second
	// faultWorkers is how many lifecycle clients send at once.
	faultWorkers = 4
	// faultPhase is how long each phase lasts.
	faultPhase = 3 * time.Second
	// probeOp names the probe's requests.
	probeOp = "probe get-session"
)

const unavailableBody = `{"message":"Service unavailable. Please try again later.","code":"SERVICE_UNAVAILABLE"}`

// outcome is one request's fate.
type outcome struct {
	op      string
	sent    time.Duration // since the load began
	latency time.Duration
	status  int    // 0 when no HTTP answer came
	kind    string // "2xx", "503", "other" (another status, or a 2xx with the wrong body), "error" (no answer)
	detail  string
}

// faultLoad runs the clients and records every request.
type faultLoad struct {
	s      *server
	start  time.Time
	client *http.Client
	stop   atomic.Bool
	mu     sync.Mutex
	log    []outcome
}

// request sends one request and records it. check says whether a 2xx answer is right.
func (l *faultLoad) request(op, method, path, body, cookie string, check func(status int, body string) bool) (int, string, http.Header) {
	req, err := http.NewRequest(method, l.s.url+path, strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Origin", "http://localhost:3000")
	}
	sent := time.Now()
	resp, err := l.client.Do(req)
	o := outcome{op: op, sent: sent.Sub(l.start)}
	var text string
	var header http.Header
	if err != nil {
		o.kind, o.detail = "error", err.Error()
	} else {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		text, header, o.status = string(b), resp.Header, resp.StatusCode
		switch {
		case resp.StatusCode == http.StatusServiceUnavailable && text == unavailableBody:
			o.kind = "503"
		case resp.StatusCode/100 == 2 && check(resp.StatusCode, text):
			o.kind = "2xx"
		default:
			o.kind, o.detail = "other", fmt.Sprintf("%d %.200s", resp.StatusCode, text)
		}
	}
	o.latency = time.Since(sent)
	l.mu.Lock()
	l.log = append(l.log, o)
	l.mu.Unlock()
	if o.kind != "2xx" {
		return 0, "", nil
	}
	return o.status, text, header
}

// sessionOf returns the Cookie header for the session cookie a response set.
func sessionOf(h http.Header) string {
	for _, line := range h.Values("Set-Cookie") {
		pair, _, _ := strings.Cut(line, ";")
		if strings.HasPrefix(pair, "better-auth.session_token=") && !strings.HasSuffix(pair, "=") {
			return pair
		}
	}
	return ""
}

// lifecycles runs one client's account lifecycles until the load stops: sign up, read the
// session, sign in again, change the password signing out everywhere else, see the old
// session gone, and (every other time) delete the account. A step that fails ends that
// lifecycle; the next one starts with a new address.
func (l *faultLoad) lifecycles(id int) {
	for n := 0; !l.stop.Load(); n++ {
		email := fmt.Sprintf("load-%d-%d@example.com", id, n)
		has := func(s string) func(int, string) bool {
			return func(_ int, body string) bool { return strings.Contains(body, s) }
		}
		_, _, h := l.request("sign-up", "POST", "/sign-up/email", `{"name":"Load","email":"`+email+`","password":"password-1"}`, "", has(`"email":"`+email+`"`))
		first := sessionOf(h)
		if first == "" {
			continue
		}
		if st, _, _ := l.request("get-session", "GET", "/get-session", "", first, has(`"email":"`+email+`"`)); st == 0 {
			continue
		}
		_, _, h = l.request("sign-in", "POST", "/sign-in/email", `{"email":"`+email+`","password":"password-1"}`, "", has(`"token":"`))
		second := sessionOf(h)
		if second == "" {
			continue
		}
		_, _, h = l.request("change-password", "POST", "/change-password",
			`{"currentPassword":"password-1","newPassword":"password-2","revokeOtherSessions":true}`, second, has(`"token":"`))
		third := sessionOf(h)
		if third == "" {
			continue
		}
		if st, _, _ := l.request("get-session", "GET", "/get-session", "", first, func(_ int, body string) bool { return body == "null" }); st == 0 {
			continue
		}
		if n%2 == 1 {
			l.request("delete-user", "POST", "/delete-user", `{"password":"password-2"}`, third, has(`"message":"User deleted"`))
		}
	}
}

func TestServerDatabaseFaults(t *testing.T) {
	needApp(t)
	pg := newCluster(t)
	s := runServer(t, pg.url(), "KERNIA_BASE_URL=http://localhost:3000", "KERNIA_DELETE_USER=true",
		"KERNIA_DATABASE_TIMEOUT="+faultDBTimeout.String())
	probe := s.call(t, "POST", "/sign-up/email", `{"name":"Probe","email":"probe@example.com","password":"password-1"}`)
	probeCookie := sessionOf(http.Header{"Set-Cookie": probe.cookies})
	if probe.status != 200 || probeCookie == "" {
		t.Fatalf("probe sign-up: %d %s", probe.status, probe.body)
	}
	// A client timeout far past the bound, so that a hang is recorded rather than waited out.
	l := &faultLoad{s: s, start: time.Now(), client: &http.Client{Timeout: 30 * time.Second}}

	var clients sync.WaitGroup
	for i := range faultWorkers {
		clients.Add(1)
		go func() {
			defer clients.Done()
			l.lifecycles(i)
		}()
	}
	clients.Add(1)
	go func() {
		defer clients.Done()
		for !l.stop.Load() {
			l.request(probeOp, "GET", "/get-session", "", probeCookie, func(_ int, body string) bool {
				return strings.Contains(body, `"email":"probe@example.com"`)
			})
			time.Sleep(100 * time.Millisecond)
		}
	}()
	var events []string
	at := func() time.Duration { return time.Since(l.start) }
	mark := func(what string) time.Duration {
		d := at()
		events = append(events, fmt.Sprintf("%6.2fs  %s", d.Seconds(), what))
		return d
	}
	time.Sleep(faultPhase)
	stopping := mark("pg_ctl stop -m fast")
	pg.stop(t)
	mark("database stopped")
	time.Sleep(faultPhase)
	mark("pg_ctl start")
	pg.start(t)
	restarted := mark("database accepting connections")
	time.Sleep(faultPhase)
	froze := mark("SIGSTOP: database frozen")
	pg.signal(syscall.SIGSTOP)
	time.Sleep(faultPhase)
	pg.signal(syscall.SIGCONT)
	thawed := mark("SIGCONT: database thawed")
	time.Sleep(faultPhase)
	l.stop.Store(true)
	mark("load stopping: lifecycles under way finish")
	clients.Wait()
	mark("load stopped")
	if s.cmd.ProcessState != nil {
		t.Fatalf("the server exited during the test: %v", s.cmd.ProcessState)
	}

	l.mu.Lock()
	outcomes := l.log
	l.mu.Unlock()
	t.Log("timeline (0.5 s buckets by send time; the slowest answer to any request and to the probe):\n" +
		faultTimeline(outcomes, events))
	totals := map[string]int{}
	slowest := map[bool]outcome{}
	for _, o := range outcomes {
		totals[o.kind]++
		if isProbe := o.op == probeOp; o.latency > slowest[isProbe].latency {
			slowest[isProbe] = o
		}
		if o.kind == "other" || o.kind == "error" {
			t.Errorf("%s at %.2fs: %s answered %s", o.kind, o.sent.Seconds(), o.op, o.detail)
		}
	}
	t.Logf("requests %d: 2xx %d, 503 %d, other %d, no answer %d", len(outcomes), totals["2xx"], totals["503"], totals["other"], totals["error"])
	t.Logf("slowest probe %v (bound %v); slowest lifecycle request %v (%s sent at %.2fs)",
		slowest[true].latency.Round(time.Millisecond), faultBound,
		slowest[false].latency.Round(time.Millisecond), slowest[false].op, slowest[false].sent.Seconds())
	if slowest[true].latency > faultBound {
		t.Errorf("a probe took %v, past the bound of %v", slowest[true].latency, faultBound)
	}
	for _, phase := range []struct {
		name     string
		from, to time.Duration
	}{
		{"stopped", stopping, restarted},
		{"frozen", froze, thawed},
	} {
		n, probes, fastest, slowestProbe := answered503(outcomes, phase.from, phase.to+faultBound)
		t.Logf("database %s: %d answers 503, %d of them to the probe, in %v to %v", phase.name, n, probes,
			fastest.Round(time.Millisecond), slowestProbe.Round(time.Millisecond))
		if n == 0 {
			t.Errorf("no 503 while the database was %s", phase.name)
		}
	}
	for _, phase := range []struct {
		name string
		from time.Duration
	}{{"restart", restarted}, {"thaw", thawed}} {
		for _, op := range []string{probeOp, ""} {
			recovered, ok := recovery(outcomes, phase.from, op)
			name := map[string]string{probeOp: "the probe", "": "any request"}[op]
			if !ok {
				t.Errorf("%s never succeeded after the %s", name, phase.name)
				continue
			}
			t.Logf("recovered %v after the %s: first 2xx answer to %s sent after it", recovered.Round(time.Millisecond), phase.name, name)
			if op == probeOp && recovered > faultBound {
				t.Errorf("the probe recovered %v after the %s", recovered, phase.name)
			}
		}
	}

	// Each 503 logged its cause exactly once, and nothing panicked.
	s.stop()
	log := s.log.String()
	if n := strings.Count(log, "auth: database unavailable"); n != totals["503"] {
		t.Errorf("%d 503 answers but %d \"database unavailable\" log lines", totals["503"], n)
	}
	if strings.Contains(log, "panic") {
		t.Errorf("the server panicked:\n%s", log)
	}
	checkRowIntegrity(t, pg.url())
}

// faultTimeline renders the outcomes in half-second buckets, with the events between them.
func faultTimeline(outcomes []outcome, events []string) string {
	const bucket = 500 * time.Millisecond
	type row struct {
		sent, ok, unavailable, other int
		slowest, probe               time.Duration
	}
	var rows []row
	for _, o := range outcomes {
		i := int(o.sent / bucket)
		for len(rows) <= i {
			rows = append(rows, row{})
		}
		r := &rows[i]
		r.sent++
		switch o.kind {
		case "2xx":
			r.ok++
		case "503":
			r.unavailable++
		default:
			r.other++
		}
		r.slowest = max(r.slowest, o.latency)
		if o.op == probeOp {
			r.probe = max(r.probe, o.latency)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%7s %5s %5s %5s %6s %9s %9s\n", "t", "sent", "2xx", "503", "other", "slowest", "probe")
	next := 0
	for i, r := range rows {
		start := time.Duration(i) * bucket
		for next < len(events) && eventTime(events[next]) < start+bucket {
			fmt.Fprintf(&b, "        -- %s\n", events[next])
			next++
		}
		fmt.Fprintf(&b, "%6.1fs %5d %5d %5d %6d %9s %9s\n", start.Seconds(), r.sent, r.ok, r.unavailable, r.other,
			r.slowest.Round(time.Millisecond), r.probe.Round(time.Millisecond))
	}
	for ; next < len(events); next++ {
		fmt.Fprintf(&b, "        -- %s\n", events[next])
	}
	return b.String()
}

func eventTime(event string) time.Duration {
	var seconds float64
	fmt.Sscanf(strings.TrimSpace(event), "%fs", &seconds)
	return time.Duration(seconds * float64(time.Second))
}

// answered503 counts the 503 answers that arrived between from and to, and those to the
// probe, with the shortest and longest time the probe waited for one.
func answered503(outcomes []outcome, from, to time.Duration) (n, probes int, fastest, slowest time.Duration) {
	for _, o := range outcomes {
		if at := o.sent + o.latency; o.kind != "503" || at < from || at >= to {
			continue
		}
		n++
		if o.op == probeOp {
			if probes == 0 || o.latency < fastest {
				fastest = o.latency
			}
			slowest = max(slowest, o.latency)
			probes++
		}
	}
	return n, probes, fastest, slowest
}

// recovery is how long after from the first successful answer arrived to a request (of op,
// or of any op when op is empty) sent after it.
func recovery(outcomes []outcome, from time.Duration, op string) (time.Duration, bool) {
	best, ok := time.Duration(0), false
	for _, o := range outcomes {
		if o.kind == "2xx" && o.sent >= from && (op == "" || o.op == op) {
			if d := o.sent + o.latency - from; !ok || d < best {
				best, ok = d, true
			}
		}
	}
	return best, ok
}

// checkRowIntegrity checks that whatever the outage cut short left consistent rows behind.
func checkRowIntegrity(t *testing.T, url string) {
	t.Helper()
	ctx := context.Background()
	db, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	var users int
	if err := db.QueryRow(ctx, `select count(*) from "user"`).Scan(&users); err != nil {
		t.Fatal(err)
	}
	checks := []struct{ what, query string }{
		{"users without their credential account", `select count(*) from "user" u where not exists (
			select 1 from "account" a where a."userId" = u."id" and a."accountId" = u."id"
			and a."providerId" = 'credential' and a."password" ~ '^[0-9a-f]{32}:[0-9a-f]{128}$')`},
		// Every lifecycle signs in at sign-up, and a change of password ends the other sessions
		// and starts one in the same transaction, so no user of this load is without a session.
		{"users without a session", `select count(*) from "user" u where not exists (select 1 from "session" s where s."userId" = u."id")`},
		{"sessions without a user", `select count(*) from "session" s where not exists (select 1 from "user" u where u."id" = s."userId")`},
		{"accounts without a user", `select count(*) from "account" a where not exists (select 1 from "user" u where u."id" = a."userId")`},
	}
	report := map[string]int{"users": users}
	for _, c := range checks {
		var n int
		if err := db.QueryRow(ctx, c.query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		report[c.what] = n
		if n != 0 {
			t.Errorf("%d %s", n, c.what)
		}
	}
	out, _ := json.Marshal(report)
	t.Logf("rows afterwards: %s", out)
}
