package generator

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

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

// The two-factor options in kernia.yaml, a string among them, are read back as written and
// become the defaults of the emitted TwoFactorConfig.
func TestTwoFactorOptionsBecomeConfigDefaults(t *testing.T) {
	opts := testOptions()
	opts.Plugins = []string{"two-factor"}
	opts.PluginOptions = map[string]map[string]any{"two-factor": {
		"issuer": `Acme "Q": 2026`, "totpDigits": 8, "totpPeriod": 60, "skipVerificationOnEnable": true,
		"otpPeriod": 5, "backupCodeAmount": 4, "accountLockout": false,
	}}
	again, err := parseConfig(opts.YAML())
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range opts.PluginOptions["two-factor"] {
		if got := again.PluginOptions["two-factor"][name]; !reflect.DeepEqual(got, v) {
			t.Errorf("kernia.yaml read %s back as %#v, want %#v", name, got, v)
		}
	}
	again.ModulePath, again.Server = opts.ModulePath, opts.Server
	src := string(generateByPath(t, again)["internal/auth/two_factor.go"].Content)
	for _, want := range []string{
		`Issuer: +"Acme \\"Q\\": 2026",`, `TOTPDigits: +8,`, `TOTPPeriod: +60 \* time.Second,`,
		`SkipVerificationOnEnable: true,`, `OTPPeriod: +5 \* time.Minute,`, `BackupCodes: +4,`,
		`LockoutAttempts: +0, // accountLockout: false`, `OTPDigits: +6,`,
	} {
		if !regexp.MustCompile(want).MatchString(src) {
			t.Errorf("two_factor.go lacks %s", want)
		}
	}
}

// totpDigits is 6 or 8, as upstream's totpOptions.digits type says.
func TestTwoFactorTOTPDigitsChoices(t *testing.T) {
	for _, digits := range []string{"7", "10"} {
		_, err := parseConfig([]byte("plugins:\n  - two-factor:\n      totpDigits: " + digits + "\n"))
		if err == nil || !strings.Contains(err.Error(), "expected one of [6 8]") {
			t.Errorf("totpDigits %s: %v", digits, err)
		}
	}
}
