package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/descope/virtualwebauthn"
)

// The passkey workload: a sign-in with a passkey, as the passkey client does it.
// GET /passkey/generate-authenticate-options answers a fresh challenge and sets the challenge
// cookie; the authenticator signs it; POST /passkey/verify-authentication checks the
// signature against the stored public key and starts a session. The challenge differs each
// time, so the Go client sends it (operation), not wrk.
//
// Each user has one passkey, registered once on the Go server: both servers read the same
// passkey table with the same relying party (rp id localhost, origin the base URL), so it
// serves both. The authenticator is a synced one, as most passkeys now are: its assertions
// carry counter 0, so that concurrent sign-ins of one user cannot be refused as a cloned
// authenticator's (a counting one's would arrive out of order).

// passkeyOrigin is the origin of the browser the bench plays: the servers' base URL.
const passkeyOrigin = baseURL

// passkeyDevice is a software authenticator holding one credential.
type passkeyDevice struct {
	rp   virtualwebauthn.RelyingParty
	auth virtualwebauthn.Authenticator
	cred virtualwebauthn.Credential
}

// newPasskeyDevice is a synced (backup eligible, backed up) authenticator with a new ES256
// credential whose COSE key has full-length coordinates: virtualwebauthn drops a
// coordinate's leading zero bytes, which a real authenticator never does, so the odd key
// that has one is drawn again.
func newPasskeyDevice() *passkeyDevice {
	d := &passkeyDevice{
		rp:   virtualwebauthn.RelyingParty{ID: "localhost", Name: "Better Auth", Origin: passkeyOrigin},
		auth: virtualwebauthn.NewAuthenticatorWithOptions(virtualwebauthn.AuthenticatorOptions{BackupEligible: true, BackupState: true}),
	}
	for {
		d.cred = virtualwebauthn.NewCredential(virtualwebauthn.KeyTypeEC2)
		if len(d.cred.Key.AttestationData()) == 77 {
			return d
		}
	}
}

// registerPasskeys registers a new passkey for each user on s, with the user's session, as
// the passkey client's addPasskey does.
func registerPasskeys(s *server, users []*user) error {
	for _, u := range users {
		d := newPasskeyDevice()
		resp, options, err := call(s, "GET", "/passkey/generate-register-options", "", http.Header{"Cookie": {u.cookie}})
		if err != nil {
			return err
		}
		opts, err := virtualwebauthn.ParseAttestationOptions(string(options))
		if err != nil {
			return fmt.Errorf("registration options of %s: %w", s.name, err)
		}
		d.auth.Options.UserHandle = []byte(opts.UserID)
		body := `{"response":` + virtualwebauthn.CreateAttestationResponse(d.rp, d.auth, d.cred, *opts) + `}`
		h := http.Header{"Cookie": {u.cookie + "; " + cookiesOf(resp.Header)}}
		if _, _, err := call(s, "POST", "/passkey/verify-registration", body, h); err != nil {
			return err
		}
		u.passkey = d
	}
	return nil
}

// passkeySignIn is the sign-in of users[i % len(users)] with its passkey.
func passkeySignIn(users []*user) operation {
	return func(c *http.Client, s *server, i int) (signedIn, error) {
		u := users[i%len(users)]
		resp, options, err := send(c, "GET", s.url+"/api/auth/passkey/generate-authenticate-options", http.Header{}, nil)
		if err != nil {
			return signedIn{}, err
		}
		if resp.StatusCode != http.StatusOK {
			return signedIn{}, fmt.Errorf("generate-authenticate-options: %d %.200s", resp.StatusCode, options)
		}
		opts, err := virtualwebauthn.ParseAssertionOptions(string(options))
		if err != nil {
			return signedIn{}, fmt.Errorf("authentication options %.200s: %w", options, err)
		}
		d := u.passkey
		body := `{"response":` + virtualwebauthn.CreateAssertionResponse(d.rp, d.auth, d.cred, *opts) + `}`
		h := http.Header{"Content-Type": {"application/json"}, "Origin": {passkeyOrigin}, "Cookie": {cookiesOf(resp.Header)}}
		resp, answer, err := send(c, "POST", s.url+"/api/auth/passkey/verify-authentication", h, strings.NewReader(body))
		if err != nil {
			return signedIn{}, err
		}
		var got struct {
			User struct{ Email string } `json:"user"`
		}
		cookie := sessionCookie(resp.Header)
		if resp.StatusCode != http.StatusOK || json.Unmarshal(answer, &got) != nil || got.User.Email != u.email || cookie == "" {
			return signedIn{}, fmt.Errorf("verify-authentication: want 200 with %s and a session cookie, got %d %.200s", u.email, resp.StatusCode, answer)
		}
		return signedIn{email: u.email, cookie: cookie}, nil
	}
}
