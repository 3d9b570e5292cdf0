package e2e

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
)

// The mounting examples, examples/<name>/main.go, each in a module that kernia-gen init set
// up, with the bearer plugin added, and with the router versions that examples/go.mod pins.
var examples = []string{"stdlib", "chi", "echo", "gin"}

const frontend = "http://localhost:5173"

// Every example builds, passes go vet and staticcheck, and serves: the auth endpoints under
// /api/auth, GET /api/me for signed-in users only (by cookie or bearer token), and CORS for
// the frontend's origin, set-auth-token exposed.
func TestExamples(t *testing.T) {
	needApp(t)
	databaseURL(t)
	bins := buildExamples(t)
	for _, name := range examples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			driveExample(t, bins[name])
		})
	}
}

// buildExamples copies the initialised module, adds the bearer plugin and the examples as
// cmd/<name> with their pinned routers, checks them with the Go tools, and builds them in one
// go build.
func buildExamples(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(app.dir)); err != nil {
		t.Fatal(err)
	}
	// With bearer, CORS also exposes set-auth-token; the emitted package's own tests, run on
	// the core alone, check that it does not without.
	run(t, dir, app.kerniaGen, "add", "bearer")
	pins := examplePins(t)
	args := []string{"go", "mod", "edit"}
	for path, version := range pins {
		args = append(args, "-require="+path+"@"+version)
	}
	run(t, dir, args...)
	var pkgs []string
	for _, name := range examples {
		src, err := os.ReadFile(filepath.Join("..", "examples", name, "main.go"))
		if err != nil {
			t.Fatal(err)
		}
		must(t, os.MkdirAll(filepath.Join(dir, "cmd", name), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, "cmd", name, "main.go"), src, 0o644))
		pkgs = append(pkgs, "./cmd/"+name)
	}
	run(t, dir, "go", "mod", "tidy")
	// The examples were tested with the pinned versions, not whatever tidy would raise them to.
	for _, r := range readGoMod(t, filepath.Join(dir, "go.mod")).Require {
		if want, ok := pins[r.Mod.Path]; ok && r.Mod.Version != want {
			t.Errorf("go mod tidy raised %s from %s to %s", r.Mod.Path, want, r.Mod.Version)
		}
	}
	run(t, dir, append([]string{"go", "build", "-o", filepath.Join(dir, "bin") + "/"}, pkgs...)...)
	run(t, dir, append([]string{"go", "vet"}, pkgs...)...)
	run(t, dir, append([]string{app.staticheck}, pkgs...)...)
	bins := map[string]string{}
	for _, name := range examples {
		bins[name] = filepath.Join(dir, "bin", name)
	}
	return bins
}

// examplePins are the module requirements of examples/go.mod.
func examplePins(t *testing.T) map[string]string {
	t.Helper()
	pins := map[string]string{}
	for _, r := range readGoMod(t, "../examples/go.mod").Require {
		pins[r.Mod.Path] = r.Mod.Version
	}
	if len(pins) != 3 {
		t.Fatalf("examples/go.mod pins %v; want the three routers", pins)
	}
	return pins
}

func run(t *testing.T, dir string, args ...string) {
	t.Helper()
	if out, err := command(dir, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// driveExample runs an example's binary and walks the frontend's flow through it.
func driveExample(t *testing.T, bin string) {
	p := startProcess(t, bin, "/api/auth/ok",
		"DATABASE_URL="+newDatabase(t), "KERNIA_SECRET="+secret, "KERNIA_BASE_URL=http://localhost:8080",
		"KERNIA_TRUSTED_ORIGINS="+frontend)
	s := &server{process: p, url: p.root}
	allowed := map[string]string{
		"Access-Control-Allow-Origin":      frontend,
		"Access-Control-Allow-Credentials": "true",
		"Access-Control-Expose-Headers":    "Set-Auth-Token",
		"Vary":                             "Origin",
	}

	r := s.call(t, "GET", "/api/me", "", "Origin", frontend)
	if r.status != 401 || r.body != `{"message":"Unauthorized","code":"UNAUTHORIZED"}` {
		t.Errorf("/api/me without a session: %d %s", r.status, r.body)
	}
	wantCORSHeaders(t, "the 401", r, allowed)

	// Preflights: the frontend's JSON POST to the auth endpoints, and a call of its own route
	// with a bearer token. Another origin gets no CORS headers, whatever it asks.
	preflight := func(origin, path, method, headers string) response {
		return s.call(t, "OPTIONS", path, "", "Origin", origin,
			"Access-Control-Request-Method", method, "Access-Control-Request-Headers", headers)
	}
	const preflightVary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
	for _, p := range []struct{ path, method, headers string }{
		{"/api/auth/sign-up/email", "POST", "content-type"},
		{"/api/me", "GET", "authorization"},
	} {
		r = preflight(frontend, p.path, p.method, p.headers)
		if r.status != 204 || r.body != "" {
			t.Errorf("preflight of %s: %d %q", p.path, r.status, r.body)
		}
		wantCORSHeaders(t, "preflight of "+p.path, r, map[string]string{
			"Access-Control-Allow-Origin":      frontend,
			"Access-Control-Allow-Credentials": "true",
			"Access-Control-Allow-Methods":     p.method,
			"Access-Control-Allow-Headers":     p.headers,
			"Access-Control-Max-Age":           "600",
			"Vary":                             preflightVary,
		})
		r = preflight("https://evil.example", p.path, p.method, p.headers)
		wantCORSHeaders(t, "preflight of "+p.path+" from another origin", r, map[string]string{"Vary": preflightVary})
	}

	r = s.call(t, "POST", "/api/auth/sign-up/email", `{"name":"Fran","email":"fran@example.com","password":"password123"}`, "Origin", frontend)
	if r.status != 200 || len(r.cookies) != 1 || !sessionCookie.MatchString(r.cookies[0]) {
		t.Fatalf("sign-up: %d %q %s", r.status, r.cookies, r.body)
	}
	wantCORSHeaders(t, "sign-up", r, allowed)
	var signUp struct{ User struct{ ID string } }
	if err := json.Unmarshal([]byte(r.body), &signUp); err != nil || signUp.User.ID == "" {
		t.Fatalf("sign-up body %s: %v", r.body, err)
	}
	cookie := strings.Split(r.cookies[0], ";")[0]
	token := r.header.Get("Set-Auth-Token")
	if token == "" {
		t.Fatal("sign-up sent no set-auth-token")
	}

	// The frontend's own route, with the cookie, and with the token as a script that read
	// set-auth-token sends it.
	for _, credential := range [][2]string{{"Cookie", cookie}, {"Authorization", "Bearer " + token}} {
		r = s.call(t, "GET", "/api/me", "", "Origin", frontend, credential[0], credential[1])
		var me struct{ ID, Email, Name string }
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") || json.Unmarshal([]byte(r.body), &me) != nil ||
			me.ID != signUp.User.ID || me.Email != "fran@example.com" || me.Name != "Fran" {
			t.Errorf("/api/me with a %s: %d %s %s", credential[0], r.status, r.header.Get("Content-Type"), r.body)
		}
		wantCORSHeaders(t, "/api/me with a "+credential[0], r, allowed)
	}

	// Another origin's script cannot read the answer (no CORS headers), nor act as the user.
	r = s.call(t, "GET", "/api/me", "", "Origin", "https://evil.example", "Cookie", cookie)
	wantCORSHeaders(t, "/api/me from another origin", r, map[string]string{"Vary": "Origin"})
	r = s.call(t, "POST", "/api/auth/sign-out", "{}", "Origin", "https://evil.example", "Cookie", cookie)
	if r.status != 403 || r.body != `{"message":"Invalid origin","code":"INVALID_ORIGIN"}` {
		t.Errorf("sign-out from another origin: %d %s", r.status, r.body)
	}
}

// wantCORSHeaders checks a response's Access-Control-* and Vary headers, exactly.
func wantCORSHeaders(t *testing.T, what string, r response, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for name, values := range r.header {
		if strings.HasPrefix(name, "Access-Control-") || name == "Vary" {
			got[name] = strings.Join(values, " | ")
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: CORS headers %v\nwant %v", what, got, want)
	}
}

// docLink names the example a code block of docs/mounting.md is taken from.
var docLink = regexp.MustCompile(`\(\.\./examples/(\w+)/main\.go\)`)

// Every Go block of docs/mounting.md is an exact excerpt of the example linked before it,
// so that the documentation cannot drift from the code the test above runs.
func TestMountingDocMatchesExamples(t *testing.T) {
	doc, err := os.Open("../docs/mounting.md")
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	var example string
	var block []string
	inBlock := false
	var covered []string
	sc := bufio.NewScanner(doc)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case inBlock && line == "```":
			inBlock = false
			if example == "" {
				t.Errorf("a Go block names no example before it:\n%s", strings.Join(block, "\n"))
				continue
			}
			src, err := os.ReadFile(filepath.Join("..", "examples", example, "main.go"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(src), strings.Join(block, "\n")+"\n") {
				t.Errorf("a block is not an excerpt of examples/%s/main.go:\n%s", example, strings.Join(block, "\n"))
			}
			covered = append(covered, example)
		case inBlock:
			block = append(block, line)
		case line == "```go":
			inBlock, block = true, nil
		default:
			if m := docLink.FindStringSubmatch(line); m != nil {
				example = m[1]
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, name := range examples {
		if !slices.Contains(covered, name) {
			t.Errorf("docs/mounting.md shows no code of examples/%s", name)
		}
	}
}

// readGoMod reads and parses the go.mod file at path.
func readGoMod(t *testing.T, path string) *modfile.File {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
