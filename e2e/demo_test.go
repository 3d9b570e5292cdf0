package e2e

import (
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

// The demo variant, kernia-gen init --demo: its server (main.go mounting the page, demo.go
// embedding it) passes the same Go tools, and serves the page, its script and its policy.
// The page itself is driven in a browser by scripts/demo-test.
func TestDemoVariant(t *testing.T) {
	dir, bin := variantModule(t, "--demo")
	if !strings.Contains(read(dir, "kernia.yaml"), "\nserver: true\n") || !strings.Contains(read(dir, "kernia.yaml"), "\ndemo: true\n") {
		t.Errorf("kernia.yaml does not record server and demo:\n%s", read(dir, "kernia.yaml"))
	}
	if out, err := command(dir, app.kerniaGen, "check").CombinedOutput(); err != nil {
		t.Errorf("check after init --demo: %v\n%s", err, out)
	}

	databaseURL(t)
	s := startBinary(t, bin, "http://localhost:3000")
	origin := strings.TrimSuffix(s.url, "/api/auth")
	get := func(path string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest("GET", origin+path, nil)
		must(t, err)
		resp, err := http.DefaultTransport.RoundTrip(req) // no redirects followed
		must(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		must(t, err)
		return resp, string(b)
	}

	resp, page := get("/demo/")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" ||
		!strings.Contains(page, `<body data-base-path="/api/auth" data-multi-session="false" data-two-factor="false" data-passkey="false" data-social="false"`+"\n"+`  data-social-providers="">`) {
		t.Errorf("/demo/: %d %s\n%.300s", resp.StatusCode, resp.Header.Get("Content-Type"), page)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); csp != "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'" {
		t.Errorf("/demo/ policy %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("/demo/ lacks X-Content-Type-Options: nosniff")
	}

	bundle, err := os.ReadFile("../templates/demo/assets/demo.js")
	must(t, err)
	resp, script := get("/demo/demo.js")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" || script != string(bundle) {
		t.Errorf("/demo/demo.js: %d %s, %d bytes (the committed bundle has %d)", resp.StatusCode, resp.Header.Get("Content-Type"), len(script), len(bundle))
	}
	if resp, _ := get("/demo/demo.css"); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("/demo/demo.css: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := get("/demo"); resp.StatusCode/100 != 3 || resp.Header.Get("Location") != "/demo/" {
		t.Errorf("/demo: %d %s, want a redirect to /demo/", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := get("/demo/nope.js"); resp.StatusCode != 404 {
		t.Errorf("/demo/nope.js: %d", resp.StatusCode)
	}
	if resp, body := get("/"); resp.StatusCode != 200 || !strings.Contains(body, "Open /demo/ to sign up in the browser") {
		t.Errorf("/: %d %q", resp.StatusCode, body)
	}
}
