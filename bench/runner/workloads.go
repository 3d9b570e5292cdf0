package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// A user the seed created, signed in once.
type user struct {
	email, password string
	cookie          string            // the session cookie as the browser sends it: name=signed-value
	bearer          string            // the signed token, as the bearer plugin hands it out
	cache           map[string]string // per server: the session_data cookie it issued
}

// A workload is one benchmarked request shape.
type workload struct {
	key, title string
	cached     bool // served by the cookie-cache instances
	// request returns the i-th request for the server at base.
	request func(s *server, i uint64) vegeta.Target
	// check validates a response to request(s, 0).
	check func(status int, header http.Header, body []byte) error
}

// workloads returns the benchmark's request shapes over the seeded users.
func workloads(readers, signers []*user, runID string) []workload {
	pick := func(us []*user, i uint64) *user { return us[i%uint64(len(us))] }
	get := func(s *server, path string, h http.Header) vegeta.Target {
		return vegeta.Target{Method: "GET", URL: s.url + "/api/auth" + path, Header: h}
	}
	post := func(s *server, path string, body any) vegeta.Target {
		b, _ := json.Marshal(body)
		h := http.Header{"Content-Type": {"application/json"}, "Origin": {baseURL}}
		return vegeta.Target{Method: "POST", URL: s.url + "/api/auth" + path, Header: h, Body: b}
	}
	var signUps atomic.Uint64
	return []workload{
		{
			key: "get-session-cookie", title: "get-session (cookie)",
			request: func(s *server, i uint64) vegeta.Target {
				return get(s, "/get-session", http.Header{"Cookie": {pick(readers, i).cookie}})
			},
			check: sessionOf(readers[0]),
		},
		{
			key: "get-session-cache", title: "get-session (cookie cache)", cached: true,
			request: func(s *server, i uint64) vegeta.Target {
				u := pick(readers, i)
				return get(s, "/get-session", http.Header{"Cookie": {u.cookie + "; " + u.cache[s.name]}})
			},
			check: sessionOf(readers[0]),
		},
		{
			key: "get-session-bearer", title: "get-session (bearer)",
			request: func(s *server, i uint64) vegeta.Target {
				return get(s, "/get-session", http.Header{"Authorization": {"Bearer " + pick(readers, i).bearer}})
			},
			check: sessionOf(readers[0]),
		},
		{
			key: "list-sessions", title: "list-sessions",
			request: func(s *server, i uint64) vegeta.Target {
				return get(s, "/list-sessions", http.Header{"Cookie": {pick(readers, i).cookie}})
			},
			check: func(status int, _ http.Header, body []byte) error {
				var list []struct {
					UserID string `json:"userId"`
				}
				if status != http.StatusOK || json.Unmarshal(body, &list) != nil || len(list) == 0 {
					return fmt.Errorf("want 200 and a list of sessions, got %d %.200s", status, body)
				}
				return nil
			},
		},
		{
			key: "sign-in", title: "sign-in (scrypt)",
			request: func(s *server, i uint64) vegeta.Target {
				u := pick(signers, i)
				return post(s, "/sign-in/email", map[string]string{"email": u.email, "password": u.password})
			},
			check: signedInAs(func(e string) bool { return e == signers[0].email }),
		},
		{
			key: "sign-up", title: "sign-up (scrypt)",
			request: func(s *server, i uint64) vegeta.Target {
				n := signUps.Add(1)
				email := fmt.Sprintf("new-%s-%s-%d@bench.example", runID, s.name, n)
				return post(s, "/sign-up/email", map[string]string{"name": "Bench", "email": email, "password": "correct horse battery"})
			},
			check: signedInAs(func(e string) bool { return strings.HasPrefix(e, "new-"+runID) }),
		},
	}
}

// sessionOf checks a get-session answer for u.
func sessionOf(u *user) func(int, http.Header, []byte) error {
	return func(status int, _ http.Header, body []byte) error {
		var got struct {
			Session struct{ Token string } `json:"session"`
			User    struct{ Email string } `json:"user"`
		}
		if status != http.StatusOK || json.Unmarshal(body, &got) != nil || got.User.Email != u.email || got.Session.Token == "" {
			return fmt.Errorf("want 200 with the session of %s, got %d %.200s", u.email, status, body)
		}
		return nil
	}
}

// signedInAs checks a sign-in or sign-up answer: the user, a token and the session cookie.
func signedInAs(ok func(email string) bool) func(int, http.Header, []byte) error {
	return func(status int, h http.Header, body []byte) error {
		var got struct {
			Token string                 `json:"token"`
			User  struct{ Email string } `json:"user"`
		}
		if status != http.StatusOK || json.Unmarshal(body, &got) != nil || !ok(got.User.Email) || got.Token == "" {
			return fmt.Errorf("want 200 with a user and a token, got %d %.200s", status, body)
		}
		if sessionCookie(h) == "" {
			return fmt.Errorf("no session cookie in %q", h.Values("Set-Cookie"))
		}
		return nil
	}
}

// sessionCookie returns "name=value" of the session token cookie a response sets.
func sessionCookie(h http.Header) string {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "better-auth.session_token" && c.Value != "" {
			return c.Name + "=" + c.Value
		}
	}
	return ""
}

// cacheCookie returns "name=value" of the cookie-cache cookie a response sets.
func cacheCookie(h http.Header) string {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "better-auth.session_data" && c.Value != "" {
			return c.Name + "=" + c.Value
		}
	}
	return ""
}

// bearerOf returns the bearer token for a session cookie "name=signed-value".
func bearerOf(cookie string) string {
	v := cookie[strings.IndexByte(cookie, '=')+1:]
	if d, err := url.QueryUnescape(v); err == nil {
		return d
	}
	return v
}

func byKey(ws []workload, key string) workload {
	for _, w := range ws {
		if w.key == key {
			return w
		}
	}
	panic("no workload " + key)
}
