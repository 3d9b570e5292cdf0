package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The social workload: a whole sign-in with Google against the local identity provider
// (conformance/servers/idp.mjs), as one iteration of three requests: POST /sign-in/social
// (the server stores the state and answers the authorization URL, setting the state cookie),
// the provider's authorization (it signs the person in and redirects to the callback with a
// code), and GET /callback/google with the state cookie (the server redeems the code at the
// provider's token endpoint, reads the user from the ID token, finds the user and its account,
// updates the account's tokens, starts a session and redirects to the callback URL). The
// provider is one Node process on the same cores: it signs an ID token and answers two
// requests per iteration, and its time is in every figure.

// idp is the local identity provider: the conformance harness's, in the development mode of
// scripts/demo (dev-idp.mjs), where an authorization that names a person signs them in.
type idp struct {
	url string
	env map[string]string // the variables dev-idp.mjs wrote for the servers
	cmd *exec.Cmd
	log *os.File
}

// startIdP runs node dev-idp.mjs on a free port and reads the variables it writes.
func startIdP(script, logDir string) (*idp, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	envFile := filepath.Join(logDir, "idp.env")
	logFile, err := os.Create(filepath.Join(logDir, "idp.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", script, envFile)
	cmd.Env = append(os.Environ(), "DEV_IDP_PORT="+strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	p := &idp{url: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd, log: logFile}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if p.env, err = readEnvFile(envFile); err == nil {
			return p, nil
		}
	}
	p.stop()
	return nil, fmt.Errorf("the identity provider did not start (see %s): %w", logFile.Name(), err)
}

func (p *idp) stop() {
	(&server{name: "idp", cmd: p.cmd, log: p.log}).stop()
}

// readEnvFile reads NAME=value lines.
func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			env[k] = v
		}
	}
	return env, sc.Err()
}

// googleEnv is what both servers are given to sign in with Google at the provider: the client
// and, for the Go server, the provider's URLs; Node Better Auth has Google's URLs built in and
// sends their hosts to the provider (CONFORMANCE_SOCIAL_IDP, servers/social.mjs).
func (p *idp) googleEnv() []string {
	out := []string{"CONFORMANCE_SOCIAL_IDP=" + p.url}
	for k, v := range p.env {
		if strings.HasPrefix(k, "KERNIA_GOOGLE_") {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// route is an authorization URL as the browser reaches it: Google's own host (Node's
// answer) goes to the provider under /<host>/<path>; the Go server's answer is already there.
func (p *idp) route(address string) (string, error) {
	u, err := url.Parse(address)
	if err != nil {
		return "", err
	}
	if u.Scheme == "https" {
		return p.url + "/" + u.Host + u.RequestURI(), nil
	}
	return address, nil
}

// socialEmail is the address of the provider's person n, who signs in with Google.
func socialEmail(runID string, n int) string {
	return fmt.Sprintf("social-%s-%d@bench.example", runID, n)
}

// socialSignIn is the sign-in of person i % people with Google at p.
func socialSignIn(p *idp, runID string, people int) operation {
	return func(c *http.Client, s *server, i int) (signedIn, error) {
		email := socialEmail(runID, i%people)
		h := http.Header{"Content-Type": {"application/json"}, "Origin": {baseURL}}
		resp, body, err := send(c, "POST", s.url+"/api/auth/sign-in/social", h,
			strings.NewReader(`{"provider":"google","callbackURL":"/dashboard"}`))
		if err != nil {
			return signedIn{}, err
		}
		var started struct {
			URL string `json:"url"`
		}
		if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &started) != nil || started.URL == "" {
			return signedIn{}, fmt.Errorf("sign-in/social: want 200 with a URL, got %d %.200s", resp.StatusCode, body)
		}
		state := cookiesOf(resp.Header)
		at, err := p.route(started.URL)
		if err != nil {
			return signedIn{}, err
		}
		// The person the provider signs in (its sign-in page's fields).
		at += "&kernia_email=" + url.QueryEscape(email) + "&kernia_name=Bench+Person"
		resp, body, err = send(c, "GET", at, http.Header{}, nil)
		if err != nil {
			return signedIn{}, err
		}
		callback := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(callback, baseURL+"/api/auth/callback/google?") {
			return signedIn{}, fmt.Errorf("the provider's authorization: want a redirect to the callback, got %d %q %.200s", resp.StatusCode, callback, body)
		}
		path, err := pathOf(callback)
		if err != nil {
			return signedIn{}, err
		}
		resp, body, err = send(c, "GET", s.url+path, http.Header{"Cookie": {state}}, nil)
		if err != nil {
			return signedIn{}, err
		}
		cookie := sessionCookie(resp.Header)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/dashboard" || cookie == "" {
			return signedIn{}, fmt.Errorf("callback: want a redirect to /dashboard with a session cookie, got %d %q %.200s",
				resp.StatusCode, resp.Header.Get("Location"), body)
		}
		return signedIn{email: email, cookie: cookie}, nil
	}
}
