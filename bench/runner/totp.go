package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The two-factor workload: a signed-in user with TOTP enabled sends a code from the app
// (POST /two-factor/verify-totp), as an app asks again before a sensitive action. With a
// session, both servers look the session up in the database, read the user's two-factor row,
// decrypt the secret, check the code (one step either side) and answer {token, user}; nothing
// is written and the code may be sent again, so the request repeats. The sign-in challenge's
// path would put a scrypt (the password sign-in before it) in every iteration.

// enrolTOTP turns two-factor on for each user on s as the client does (enable with the
// password, then a first code) and keeps the TOTP key and the new session's cookie, which
// replaces the one the user signed in with.
func enrolTOTP(s *server, users []*user) error {
	for _, u := range users {
		h := http.Header{"Cookie": {u.cookie}}
		var enabled struct {
			TotpURI string `json:"totpURI"`
		}
		_, body, err := call(s, "POST", "/two-factor/enable", fmt.Sprintf(`{"password":%q}`, u.password), h)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(body, &enabled); err != nil {
			return fmt.Errorf("enrolling %s on %s: %w", u.email, s.name, err)
		}
		key, err := totpKeyOf(enabled.TotpURI)
		if err != nil {
			return fmt.Errorf("enrolling %s on %s: %w", u.email, s.name, err)
		}
		u.totp = key
		resp, _, err := call(s, "POST", "/two-factor/verify-totp", fmt.Sprintf(`{"code":%q}`, totpCode(key, time.Now())), h)
		if err != nil {
			return err
		}
		if u.cookie = sessionCookie(resp.Header); u.cookie == "" {
			return fmt.Errorf("enrolling %s on %s: no new session cookie", u.email, s.name)
		}
	}
	return nil
}

// totpLifetime is how long a code is sure to be accepted: until the end of the step after
// its own (both servers take one step either side).
const totpLifetime = 30 * time.Second

// totpRequests is one verify-totp per enrolled user, each with the code of now, as the app
// shows it. The runner builds the requests anew for every run of wrk, which must not be
// longer than totpLifetime.
func totpRequests(users []*user) func(string) []request {
	return func(string) []request {
		now := time.Now()
		out := make([]request, len(users))
		for i, u := range users {
			r := apiPost("/two-factor/verify-totp", fmt.Sprintf(`{"code":%q}`, totpCode(u.totp, now)))
			r.header.Set("Cookie", u.cookie)
			out[i] = r
		}
		return out
	}
}

// totpVerified checks a signed-in verify-totp answer: 200, the user, and the token of the
// session the request came with.
func totpVerified(u *user) func(int, http.Header, []byte) error {
	token, _, _ := strings.Cut(bearerOf(u.cookie), ".")
	return func(status int, _ http.Header, body []byte) error {
		var got struct {
			Token string                 `json:"token"`
			User  struct{ Email string } `json:"user"`
		}
		if status != http.StatusOK || json.Unmarshal(body, &got) != nil || got.User.Email != u.email || got.Token != token {
			return fmt.Errorf("want 200 with %s and the session's token, got %d %.200s", u.email, status, body)
		}
		return nil
	}
}

// totpKeyOf is the HMAC key of an otpauth:// URI's secret (base32, without padding). The
// bench uses the defaults, six digits and 30-second steps; the URI must say so.
func totpKeyOf(uri string) ([]byte, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	if d, p := q.Get("digits"), q.Get("period"); (d != "" && d != "6") || (p != "" && p != "30") {
		return nil, fmt.Errorf("TOTP of %s digits every %s s, not the defaults", d, p)
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(q.Get("secret")))
}

// totpCode is the six-digit code of key at t (RFC 6238: HMAC-SHA1, 30-second steps).
func totpCode(key []byte, t time.Time) string {
	var counter [8]byte
	binary.BigEndian.PutUint64(counter[:], uint64(t.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(counter[:])
	h := mac.Sum(nil)
	o := h[len(h)-1] & 15
	n := binary.BigEndian.Uint32(h[o:]) & 0x7fffffff
	return fmt.Sprintf("%06d", n%1_000_000)
}
