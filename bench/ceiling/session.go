package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

type server struct {
	db     *pgxpool.Pool
	secret []byte
}

// The JSON shapes of Better Auth's session and user, in its key order.
type sessionJSON struct {
	ExpiresAt jsTime  `json:"expiresAt"`
	Token     string  `json:"token"`
	CreatedAt jsTime  `json:"createdAt"`
	UpdatedAt jsTime  `json:"updatedAt"`
	IPAddress *string `json:"ipAddress"`
	UserAgent *string `json:"userAgent"`
	UserID    string  `json:"userId"`
	ID        string  `json:"id"`
}

type userJSON struct {
	Name          string  `json:"name"`
	Email         string  `json:"email"`
	EmailVerified bool    `json:"emailVerified"`
	Image         *string `json:"image"`
	CreatedAt     jsTime  `json:"createdAt"`
	UpdatedAt     jsTime  `json:"updatedAt"`
	ID            string  `json:"id"`
}

// lookup is get-session's one query: the session by token, joined with its user.
const lookup = `select s."expiresAt", s."token", s."createdAt", s."updatedAt", s."ipAddress", s."userAgent", s."userId", s."id",
       u."name", u."email", u."emailVerified", u."image", u."createdAt", u."updatedAt", u."id"
from "session" s join "user" u on u."id" = s."userId"
where s."token" = $1`

func (s *server) getSession(w http.ResponseWriter, r *http.Request) {
	token, ok := s.sessionToken(r)
	if !ok {
		writeJSON(w, nil)
		return
	}
	if c, err := r.Cookie(cacheCookie); err == nil {
		if body, ok := s.cached(c.Value, token); ok {
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
			return
		}
	}
	var out struct {
		Session sessionJSON `json:"session"`
		User    userJSON    `json:"user"`
	}
	ss, u := &out.Session, &out.User
	err := s.db.QueryRow(r.Context(), lookup, token).Scan(
		&ss.ExpiresAt, &ss.Token, &ss.CreatedAt, &ss.UpdatedAt, &ss.IPAddress, &ss.UserAgent, &ss.UserID, &ss.ID,
		&u.Name, &u.Email, &u.EmailVerified, &u.Image, &u.CreatedAt, &u.UpdatedAt, &u.ID)
	if err != nil || !time.Time(ss.ExpiresAt).After(time.Now()) {
		writeJSON(w, nil)
		return
	}
	writeJSON(w, out)
}

// cached verifies a compact cookie cache (base64url of {"session": payload, "expiresAt": ms,
// "signature": HMAC of the payload with expiresAt appended}) and returns get-session's body.
func (s *server) cached(value, token string) ([]byte, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return nil, false
	}
	var outer struct {
		Session   json.RawMessage `json:"session"`
		ExpiresAt json.RawMessage `json:"expiresAt"`
		Signature string          `json:"signature"`
	}
	if json.Unmarshal(raw, &outer) != nil || len(outer.Session) < 2 {
		return nil, false
	}
	m := hmac.New(sha256.New, s.secret)
	m.Write(outer.Session[:len(outer.Session)-1])
	m.Write([]byte(`,"expiresAt":`))
	m.Write(outer.ExpiresAt)
	m.Write([]byte("}"))
	sig, err := base64.RawURLEncoding.DecodeString(outer.Signature)
	exp, perr := strconv.ParseInt(string(outer.ExpiresAt), 10, 64)
	if err != nil || perr != nil || !hmac.Equal(sig, m.Sum(nil)) || exp <= time.Now().UnixMilli() {
		return nil, false
	}
	var payload struct {
		Session json.RawMessage `json:"session"`
		User    json.RawMessage `json:"user"`
	}
	var bound struct {
		Token string `json:"token"`
	}
	if json.Unmarshal(outer.Session, &payload) != nil || json.Unmarshal(payload.Session, &bound) != nil || bound.Token != token {
		return nil, false
	}
	var b bytes.Buffer
	b.WriteString(`{"session":`)
	b.Write(payload.Session)
	b.WriteString(`,"user":`)
	b.Write(payload.User)
	b.WriteString("}")
	return b.Bytes(), true
}

func (s *server) listSessions(w http.ResponseWriter, r *http.Request) {
	token, ok := s.sessionToken(r)
	if !ok {
		http.Error(w, `{"message":"Unauthorized","code":"UNAUTHORIZED"}`, http.StatusUnauthorized)
		return
	}
	var ss sessionJSON
	var u userJSON
	err := s.db.QueryRow(r.Context(), lookup, token).Scan(
		&ss.ExpiresAt, &ss.Token, &ss.CreatedAt, &ss.UpdatedAt, &ss.IPAddress, &ss.UserAgent, &ss.UserID, &ss.ID,
		&u.Name, &u.Email, &u.EmailVerified, &u.Image, &u.CreatedAt, &u.UpdatedAt, &u.ID)
	userID := ss.UserID
	if err != nil || !time.Time(ss.ExpiresAt).After(time.Now()) {
		http.Error(w, `{"message":"Unauthorized","code":"UNAUTHORIZED"}`, http.StatusUnauthorized)
		return
	}
	rows, err := s.db.Query(r.Context(), `select "expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId", "id"
from "session" where "userId" = $1 and "expiresAt" > now() order by "createdAt", "id"`, userID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	list := []sessionJSON{}
	for rows.Next() {
		var ss sessionJSON
		if err := rows.Scan(&ss.ExpiresAt, &ss.Token, &ss.CreatedAt, &ss.UpdatedAt, &ss.IPAddress, &ss.UserAgent, &ss.UserID, &ss.ID); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		list = append(list, ss)
	}
	if rows.Err() != nil {
		http.Error(w, rows.Err().Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, list)
}

func writeJSON(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// jsTime is a timestamp written as JavaScript's Date.toJSON does: milliseconds, UTC.
type jsTime time.Time

func (t jsTime) MarshalJSON() ([]byte, error) {
	return time.Time(t).UTC().AppendFormat([]byte{'"'}, `2006-01-02T15:04:05.000Z"`), nil
}

func (t *jsTime) ScanTimestamptz(v pgtype.Timestamptz) error {
	*t = jsTime(v.Time)
	return nil
}

func (t jsTime) TimestamptzValue() (pgtype.Timestamptz, error) {
	return pgtype.Timestamptz{Time: time.Time(t), Valid: true}, nil
}
