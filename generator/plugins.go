package generator

import (
	"fmt"
	"slices"
	"strings"
)

// Plugin describes a plugin kernia-gen can emit. Its OpenAPI operations carry its name in
// x-kernia-plugin, its queries are queries/<name>/*.sql, its migrations migrations/<name>/ and
// its templates templates/package/<name>/.
type Plugin struct {
	Name    string
	Summary string
	Options []PluginOption
	// Requires are the modules the plugin's emitted code imports besides the core's, at the
	// versions kernia-gen is tested with.
	Requires []requirement
	// Shares names the core's optional helpers the plugin's code calls, so that the core emits
	// them only when some enabled plugin needs them: "sealing" (sealing.go, values encrypted at
	// rest as Better Auth's symmetricEncrypt seals them).
	Shares []string
}

// PluginOption is a generation-time option of a plugin; its value becomes the default of the
// matching runtime Config field, or, for a list, chooses what is emitted.
type PluginOption struct {
	Name    string
	Default any // bool, int, string or []string; the type is the option's type
	// Allowed are the values a list option may hold, in the order kernia.yaml lists them.
	// Each chosen value also emits the templates of templates/package/<plugin>/<option>/<value>/.
	Allowed []string
	// Choices are the values an int option may take; empty, any positive number.
	Choices []int
	Doc     string
}

// Plugins are the plugins this version of kernia-gen can emit, core first.
var Plugins = []Plugin{
	{Name: "core", Summary: "email and password sign-up and sign-in, sessions"},
	{Name: "bearer", Summary: "Authorization: Bearer tokens and the set-auth-token header", Options: []PluginOption{
		{Name: "requireSignature", Default: false, Doc: "refuse raw, unsigned tokens"},
	}},
	{Name: "multi-session", Summary: "several signed-in accounts in one browser", Options: []PluginOption{
		{Name: "maximumSessions", Default: 5, Doc: "most sessions one browser keeps"},
	}},
	{Name: "username", Summary: "sign in with a username; username and displayUsername on the user", Options: []PluginOption{
		{Name: "minUsernameLength", Default: 3, Doc: "shortest username accepted"},
		{Name: "maxUsernameLength", Default: 30, Doc: "longest username accepted"},
		{Name: "immutableUsername", Default: false, Doc: "refuse to change a username once set"},
	}},
	{Name: "social", Summary: "sign-in with OAuth providers (Google, GitHub, Apple, Microsoft, Discord, any OpenID Connect provider)", Options: []PluginOption{
		{Name: "providers", Default: []string{"google", "github"}, Allowed: []string{"google", "github", "oidc", "apple", "microsoft", "discord"},
			Doc: "providers users can sign in with (google, github, oidc, apple, microsoft, discord)"},
	}, Requires: []requirement{
		{"golang.org/x/oauth2", "v0.38.0"},
		{"github.com/coreos/go-oidc/v3", "v3.21.0"},
	}, Shares: []string{"sealing"}},
	{Name: "two-factor", Summary: "a second factor at sign-in: authenticator app (TOTP), one-time code by mail, backup codes", Options: []PluginOption{
		{Name: "allowPasswordless", Default: false, Doc: "let users without a password enable two-factor without one"},
		{Name: "trustDeviceMaxAge", Default: 2592000, Doc: "seconds a trusted device skips the second factor"},
		{Name: "issuer", Default: "", Doc: "name in the authenticator app for new enrolments (empty: the app name)"},
		{Name: "skipVerificationOnEnable", Default: false, Doc: "turn two-factor on at enable, before a first code"},
		{Name: "totpDigits", Default: 6, Choices: []int{6, 8}, Doc: "digits of an authenticator-app code (6 or 8)"},
		{Name: "totpPeriod", Default: 30, Doc: "seconds an authenticator-app code lasts"},
		{Name: "otpDigits", Default: 6, Doc: "digits of a code sent by mail"},
		{Name: "otpPeriod", Default: 3, Doc: "minutes a code sent by mail is valid"},
		{Name: "otpAllowedAttempts", Default: 5, Doc: "wrong tries of a mailed code before a new one is needed"},
		{Name: "backupCodeAmount", Default: 10, Doc: "backup codes made at a time"},
		{Name: "backupCodeLength", Default: 10, Doc: "characters of a backup code"},
		{Name: "twoFactorCookieMaxAge", Default: 600, Doc: "seconds a sign-in waits for its second factor"},
		{Name: "accountLockout", Default: true, Doc: "lock the second factor after too many wrong codes"},
		{Name: "lockoutMaxFailedAttempts", Default: 10, Doc: "consecutive wrong codes that lock it"},
		{Name: "lockoutDurationSeconds", Default: 900, Doc: "seconds the lock lasts"},
	}, Requires: []requirement{
		{"github.com/pquerna/otp", "v1.5.0"}, // TOTP
	}, Shares: []string{"sealing"}},
	{Name: "passkey", Summary: "sign-in with passkeys (WebAuthn), as @better-auth/passkey", Options: []PluginOption{
		{Name: "requireSession", Default: true, Doc: "register passkeys only from a fresh session (false: any signed-in session, no freshness check)"},
	}, Requires: []requirement{
		{"github.com/go-webauthn/webauthn", "v0.18.2"},   // WebAuthn ceremonies
		{"github.com/google/uuid", "v1.6.0"},             // the AAGUID as upstream writes it
		{"github.com/descope/virtualwebauthn", "v1.0.3"}, // the emitted tests' software authenticator
	}},
}

// KnownPlugins are the names of Plugins.
var KnownPlugins = func() []string {
	var names []string
	for _, p := range Plugins {
		names = append(names, p.Name)
	}
	return names
}()

// LookupPlugin returns the named plugin, or an *UnknownPluginError.
func LookupPlugin(name string) (Plugin, error) {
	i := slices.IndexFunc(Plugins, func(p Plugin) bool { return p.Name == name })
	if i < 0 {
		return Plugin{}, unknownPlugin(name)
	}
	return Plugins[i], nil
}

// option returns the plugin's option of that name.
func (p Plugin) option(name string) (PluginOption, error) {
	i := slices.IndexFunc(p.Options, func(o PluginOption) bool { return o.Name == name })
	if i < 0 {
		var names []string
		for _, o := range p.Options {
			names = append(names, o.Name)
		}
		if len(names) == 0 {
			return PluginOption{}, fmt.Errorf("plugin %s has no options", p.Name)
		}
		return PluginOption{}, fmt.Errorf("plugin %s has no option %q (options: %s)", p.Name, name, strings.Join(names, ", "))
	}
	return p.Options[i], nil
}

// optionExample is a hint with an option of the plugin, e.g. ", e.g. --option maximumSessions=5",
// or a note that it has none.
func (p Plugin) optionExample() string {
	if len(p.Options) == 0 {
		return " (plugin " + p.Name + " has no options)"
	}
	o := p.Options[0]
	if list, ok := o.Default.([]string); ok {
		return fmt.Sprintf(", e.g. --option %s=%s", o.Name, strings.Join(list, ","))
	}
	return fmt.Sprintf(", e.g. --option %s=%s", o.Name, optionText(o.Default))
}
