package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// A user the seed created, signed in once.
type user struct {
	email, password string
	cookie          string            // the session cookie as the browser sends it: name=signed-value
	bearer          string            // the signed token, as the bearer plugin hands it out
	cache           map[string]string // per server: the session_data cookie it issued
	totp            []byte            // the TOTP key, for a user enrolled in two-factor
	passkey         *passkeyDevice    // the authenticator, for a user with a passkey
}

// A workload is one benchmarked request shape.
type workload struct {
	key, title string
	cached     bool // served by the cookie-cache instances
	// scrypt marks the password workloads. They run with fewer connections: each answer
	// takes a scrypt, and with many in flight most would still be pending when the
	// measurement ends, which a closed-loop count cannot see.
	scrypt bool
	// plugin marks the plugin workloads: served by the plugin servers (plugins.go), reported
	// in a table of their own.
	plugin bool
	// op, when set, is the workload's iteration, sent by the Go client (loop.go) instead of
	// wrk; requests and check are then unused.
	op operation
	// provider is the identity provider op's iterations visit, whose CPU use is measured.
	provider *idp
	// requests returns what is sent to the server named side, in turn, over and over;
	// "{n}" in a body becomes a request counter and "{run}" a number unique to the run.
	requests func(side string) []request
	// check validates the answer to requests[0] (with n = 0).
	check func(status int, header http.Header, body []byte) error
}

// request is one HTTP request of a workload, its path relative to the server's root.
type request struct {
	method, path string
	header       http.Header
	body         string
}

// workloads returns the benchmark's request shapes over the seeded users.
func workloads(readers, signers []*user, runID string) []workload {
	// each builds one request per user, the same for every server.
	each := func(us []*user, r func(u *user) request) func(string) []request {
		return func(string) []request {
			out := make([]request, len(us))
			for i, u := range us {
				out[i] = r(u)
			}
			return out
		}
	}
	get := func(path string, h http.Header) request {
		return request{method: "GET", path: "/api/auth" + path, header: h}
	}
	post := apiPost
	return []workload{
		{
			key: "get-session-cookie", title: "get-session (cookie)",
			requests: each(readers, func(u *user) request { return get("/get-session", http.Header{"Cookie": {u.cookie}}) }),
			check:    sessionOf(readers[0]),
		},
		{
			key: "get-session-cache", title: "get-session (cookie cache)", cached: true,
			// Each server gets the cache cookies it issued itself.
			requests: func(side string) []request {
				out := make([]request, len(readers))
				for i, u := range readers {
					out[i] = get("/get-session", http.Header{"Cookie": {u.cookie + "; " + u.cache[side]}})
				}
				return out
			},
			check: sessionOf(readers[0]),
		},
		{
			key: "get-session-bearer", title: "get-session (bearer)",
			requests: each(readers, func(u *user) request {
				return get("/get-session", http.Header{"Authorization": {"Bearer " + u.bearer}})
			}),
			check: sessionOf(readers[0]),
		},
		{
			key: "list-sessions", title: "list-sessions",
			requests: each(readers, func(u *user) request { return get("/list-sessions", http.Header{"Cookie": {u.cookie}}) }),
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
			key: "sign-in", title: "sign-in (scrypt)", scrypt: true,
			requests: each(signers, func(u *user) request {
				return post("/sign-in/email", fmt.Sprintf(`{"email":%q,"password":%q}`, u.email, u.password))
			}),
			check: signedInAs(func(e string) bool { return e == signers[0].email }),
		},
		{
			key: "sign-up", title: "sign-up (scrypt)", scrypt: true,
			requests: func(side string) []request {
				return []request{post("/sign-up/email",
					`{"name":"Bench","email":"new-`+runID+`-`+side+`-{run}-{n}@bench.example","password":"correct horse battery"}`)}
			},
			check: signedInAs(func(e string) bool { return strings.HasPrefix(e, "new-"+runID) }),
		},
	}
}

// apiPost is a JSON POST to the API path, with the Origin a browser on the base URL sends.
func apiPost(path, body string) request {
	h := http.Header{"Content-Type": {"application/json"}, "Origin": {baseURL}}
	return request{method: "POST", path: "/api/auth" + path, header: h, body: body}
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
	if d, err := url.PathUnescape(v); err == nil {
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
