package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
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

// call sends one request of the seeding to the API path on s, with h and, for a body, the
// JSON type and the Origin, and fails unless the answer is 200.
func call(s *server, method, path, body string, h http.Header) (*http.Response, []byte, error) {
	req, err := http.NewRequest(method, s.url+"/api/auth"+path, strings.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header = h.Clone()
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", baseURL)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s %s on %s: %d %.300s", method, path, s.name, resp.StatusCode, b)
	}
	return resp, b, err
}
