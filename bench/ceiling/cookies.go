package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
)

const (
	sessionCookie = "better-auth.session_token"
	cacheCookie   = "better-auth.session_data"
)

// sign returns Better Auth's signed cookie value: value "." base64(HMAC-SHA256(secret, value)).
func (s *server) sign(value string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(value))
	return value + "." + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// unsign returns the value of a signed value whose signature checks out.
func (s *server) unsign(signed string) (string, bool) {
	if u, err := url.PathUnescape(signed); err == nil {
		signed = u
	}
	i := strings.LastIndexByte(signed, '.')
	if i < 1 {
		return "", false
	}
	value := signed[:i]
	return value, hmac.Equal([]byte(s.sign(value)), []byte(signed))
}

// sessionToken reads the session token from the cookie or, failing that, a bearer header.
func (s *server) sessionToken(r *http.Request) (string, bool) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return s.unsign(c.Value)
	}
	if h, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return s.unsign(h)
	}
	return "", false
}

func (s *server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: url.QueryEscape(s.sign(token)), Path: "/",
		MaxAge: 7 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
}
