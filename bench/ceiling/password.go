package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/crypto/scrypt"
	"golang.org/x/text/unicode/norm"
)

// hashSlots bounds concurrent scrypt runs to one per core: each holds 16 MiB, and running more
// at once finishes none sooner, it only multiplies memory (unbounded, a 200-way flood took
// gigabytes).
var hashSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// derive is Better Auth's password hash: scrypt(N=16384, r=16, p=1, 64 bytes) of the NFKC
// password, salted with the hex salt's text.
func derive(password, saltHex string) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	key, err := scrypt.Key([]byte(norm.NFKC.String(password)), []byte(saltHex), 16384, 16, 1, 64)
	if err != nil {
		panic(err)
	}
	return key
}

func randomID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 32)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)] // the bias is irrelevant to a benchmark
	}
	return string(b)
}

type credentials struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

type signedIn struct {
	Redirect *bool    `json:"redirect,omitempty"`
	Token    string   `json:"token"`
	User     userJSON `json:"user"`
}

func readCredentials(w http.ResponseWriter, r *http.Request) (credentials, bool) {
	var c credentials
	if json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&c) != nil || c.Email == "" || c.Password == "" {
		http.Error(w, `{"message":"Invalid body","code":"BAD_REQUEST"}`, http.StatusBadRequest)
		return c, false
	}
	c.Email = strings.ToLower(c.Email)
	return c, true
}

// signIn: the user and its credential account in one query, one scrypt, one insert.
func (s *server) signIn(w http.ResponseWriter, r *http.Request) {
	c, ok := readCredentials(w, r)
	if !ok {
		return
	}
	var u userJSON
	var hash string
	err := s.db.QueryRow(r.Context(), `select u."name", u."email", u."emailVerified", u."image", u."createdAt", u."updatedAt", u."id", a."password"
from "user" u join "account" a on a."userId" = u."id" and a."providerId" = 'credential'
where u."email" = $1`, c.Email).Scan(&u.Name, &u.Email, &u.EmailVerified, &u.Image, &u.CreatedAt, &u.UpdatedAt, &u.ID, &hash)
	salt, key, _ := strings.Cut(hash, ":")
	want, _ := hex.DecodeString(key)
	if err != nil {
		salt, want = "00000000000000000000000000000000", nil // still one scrypt
	}
	if subtle.ConstantTimeCompare(derive(c.Password, salt), want) != 1 {
		http.Error(w, `{"message":"Invalid email or password","code":"INVALID_EMAIL_OR_PASSWORD"}`, http.StatusUnauthorized)
		return
	}
	token, err := s.insertSession(r.Context(), s.db, r, u.ID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.setSessionCookie(w, token)
	no := false
	writeJSON(w, signedIn{Redirect: &no, Token: token, User: u})
}

// signUp: one scrypt, then the user, its credential account and a session in one transaction.
func (s *server) signUp(w http.ResponseWriter, r *http.Request) {
	c, ok := readCredentials(w, r)
	if !ok {
		return
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	saltHex := hex.EncodeToString(salt)
	hash := saltHex + ":" + hex.EncodeToString(derive(c.Password, saltHex))
	now := time.Now().UTC().Truncate(time.Millisecond)
	u := userJSON{Name: c.Name, Email: c.Email, CreatedAt: jsTime(now), UpdatedAt: jsTime(now), ID: randomID()}
	var token string
	err := pgx.BeginFunc(r.Context(), s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(r.Context(), `insert into "user" ("id", "name", "email", "emailVerified", "createdAt", "updatedAt") values ($1, $2, $3, false, $4, $4)`,
			u.ID, u.Name, u.Email, now); err != nil {
			return err
		}
		if _, err := tx.Exec(r.Context(), `insert into "account" ("id", "accountId", "providerId", "userId", "password", "createdAt", "updatedAt") values ($1, $2, 'credential', $2, $3, $4, $4)`,
			randomID(), u.ID, hash, now); err != nil {
			return err
		}
		var err error
		token, err = s.insertSession(r.Context(), tx, r, u.ID)
		return err
	})
	if err != nil {
		http.Error(w, `{"message":"User already exists. Use another email.","code":"USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL"}`, http.StatusUnprocessableEntity)
		return
	}
	s.setSessionCookie(w, token)
	writeJSON(w, signedIn{Token: token, User: u})
}

type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// insertSession stores a seven-day session for userID and returns its token.
func (s *server) insertSession(ctx context.Context, db execer, r *http.Request, userID string) (string, error) {
	now := time.Now().UTC().Truncate(time.Millisecond)
	token := randomID()
	ip, _, _ := strings.Cut(r.RemoteAddr, ":")
	_, err := db.Exec(ctx, `insert into "session" ("id", "token", "userId", "expiresAt", "ipAddress", "userAgent", "createdAt", "updatedAt") values ($1, $2, $3, $4, $5, $6, $7, $7)`,
		randomID(), token, userID, now.Add(7*24*time.Hour), ip, r.UserAgent(), now)
	return token, err
}
