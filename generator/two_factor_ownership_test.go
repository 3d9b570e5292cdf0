package generator

import "testing"

// The two-factor plugin's files that a user is meant to edit (the rules and the mail with a
// sign-in code) are scaffolded; its handlers, crypto and store code are generated.
func TestTwoFactorOwnership(t *testing.T) {
	opts := testOptions()
	opts.Plugins = []string{"two-factor"}
	checkClasses(t, generateByPath(t, opts), map[string]Class{
		"internal/auth/two_factor_rules.go":         Scaffolded,
		"internal/auth/mail/two-factor-otp.txt":     Scaffolded,
		"internal/auth/mail/two-factor-otp.html":    Scaffolded,
		"internal/auth/two_factor.go":               Generated,
		"internal/auth/two_factor_crypto.go":        Generated,
		"internal/auth/two_factor_store.go":         Generated,
		"internal/auth/two_factor_totp.go":          Generated,
		"internal/auth/two_factor_sign_in.go":       Generated,
		"internal/auth/two_factor_verify.go":        Generated,
		"internal/auth/handle_two_factor.go":        Generated,
		"internal/auth/handle_two_factor_verify.go": Generated,
	})
}
