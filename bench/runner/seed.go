package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// seed signs n users up through s and returns them with their session cookies.
func seed(s *server, prefix string, n int) ([]*user, error) {
	users := make([]*user, n)
	for i := range users {
		u := &user{email: fmt.Sprintf("%s-%d@bench.example", prefix, i), password: "correct horse battery", cache: map[string]string{}}
		body, _ := json.Marshal(map[string]string{"name": "Bench User", "email": u.email, "password": u.password})
		req, _ := http.NewRequest("POST", s.url+"/api/auth/sign-up/email", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", baseURL)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		u.cookie = sessionCookie(resp.Header)
		if resp.StatusCode != http.StatusOK || u.cookie == "" {
			return nil, fmt.Errorf("seeding %s on %s: status %d, cookie %q", u.email, s.name, resp.StatusCode, u.cookie)
		}
		u.bearer = bearerOf(u.cookie)
		users[i] = u
	}
	return users, nil
}

// cacheFrom asks a cookie-cache instance for each user's session_data cookie.
func cacheFrom(s *server, key string, users []*user) error {
	for _, u := range users {
		req, _ := http.NewRequest("GET", s.url+"/api/auth/get-session", nil)
		req.Header.Set("Cookie", u.cookie)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		c := cacheCookie(resp.Header)
		if resp.StatusCode != http.StatusOK || c == "" {
			return fmt.Errorf("%s issued no cookie cache for %s (status %d)", s.name, u.email, resp.StatusCode)
		}
		u.cache[key] = c
	}
	return nil
}
