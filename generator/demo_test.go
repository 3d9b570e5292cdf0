package generator

import (
	"bytes"
	"context"
	"io/fs"
	"strings"
	"testing"

	kernia "github.com/kernia/kernia-gen"
)

// Demo emits the page, its style, the committed bundle byte for byte (generated: it is
// rewritten, never merged) and the Go file that embeds them, and main.go mounts it.
func TestGenerateDemo(t *testing.T) {
	files := generateByPath(t, Options{ModulePath: "example.com/app", Server: true, Demo: true, Plugins: []string{"core", "multi-session"}})
	checkClasses(t, files, map[string]Class{
		"cmd/server/demo.go":           Scaffolded,
		"cmd/server/demo/index.html":   Scaffolded,
		"cmd/server/demo/demo.css":     Scaffolded,
		"cmd/server/demo/demo.js":      Generated,
		"cmd/server/demo/licenses.txt": Scaffolded,
	})
	for _, name := range []string{"demo.js", "demo.css", "licenses.txt"} {
		src, err := fs.ReadFile(kernia.Inputs, "templates/demo/assets/"+name)
		if err != nil || !bytes.Equal(src, files["cmd/server/demo/"+name].Content) {
			t.Errorf("cmd/server/demo/%s is not templates/demo/assets/%s as committed (%v)", name, name, err)
		}
	}
	page := string(files["cmd/server/demo/index.html"].Content)
	for _, want := range []string{`data-base-path="/api/auth"`, `data-multi-session="true"`, `<script type="module" src="demo.js"></script>`, `id="device-sessions"`, "Sign out of every account"} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if main := string(files["cmd/server/main.go"].Content); !strings.Contains(main, `mux.Handle("GET /demo/", demoHandler())`) {
		t.Error("main.go does not mount the demo")
	}
	if demo := string(files["cmd/server/demo.go"].Content); !strings.Contains(demo, "//go:embed demo\n") || !strings.Contains(demo, "Content-Security-Policy") {
		t.Errorf("demo.go does not embed the page with its policy:\n%s", demo)
	}
}

// The page follows the base path and the plugins: without multi-session it has no accounts list.
func TestGenerateDemoFollowsOptions(t *testing.T) {
	files := generateByPath(t, Options{ModulePath: "example.com/app", BasePath: "/auth", Server: true, Demo: true})
	page := string(files["cmd/server/demo/index.html"].Content)
	for _, want := range []string{`data-base-path="/auth"`, `data-multi-session="false"`, ">Sign out<"} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if strings.Contains(page, "device-sessions") {
		t.Error("index.html lists device sessions without the multi-session plugin")
	}
	if !strings.Contains(page, `data-two-factor="false"`) || strings.Contains(page, `id="two-factor`) {
		t.Error("index.html has two-factor forms without the two-factor plugin")
	}
	if !strings.Contains(page, `data-passkey="false"`) || strings.Contains(page, `id="passkey`) {
		t.Error("index.html has passkey sections without the passkey plugin")
	}
	if !strings.Contains(page, `data-social="false"`) || !strings.Contains(page, `data-social-providers=""`) || strings.Contains(page, `id="linked`) || strings.Contains(page, `id="social-`) {
		t.Error("index.html has social sections without the social plugin")
	}
}

// With social, the page tells the script so and which providers the server has (the providers
// option, in its order), and has the provider buttons and the linked accounts.
func TestGenerateDemoSocial(t *testing.T) {
	files := generateByPath(t, Options{ModulePath: "example.com/app", Server: true, Demo: true, Plugins: []string{"core", "social"},
		PluginOptions: map[string]map[string]any{"social": {"providers": []string{"github", "oidc"}}}})
	page := string(files["cmd/server/demo/index.html"].Content)
	for _, want := range []string{`data-social="true"`, `data-social-providers="github,oidc"`, `id="social-buttons"`, `id="linked-accounts"`, `id="link-buttons"`} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
}

// With two-factor, the page tells the script so and has the enrolment and challenge forms.
func TestGenerateDemoTwoFactor(t *testing.T) {
	files := generateByPath(t, Options{ModulePath: "example.com/app", Server: true, Demo: true, Plugins: []string{"core", "two-factor"}})
	page := string(files["cmd/server/demo/index.html"].Content)
	for _, want := range []string{`data-multi-session="false" data-two-factor="true"`, `id="two-factor-enable"`, `id="totp-qr"`, `id="two-factor-disable"`, `id="two-factor-verify"`} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
}

// With passkey, the page tells the script so and has the passkey list, the add form and the
// passkey sign-in.
func TestGenerateDemoPasskey(t *testing.T) {
	files := generateByPath(t, Options{ModulePath: "example.com/app", Server: true, Demo: true, Plugins: []string{"core", "passkey"}})
	page := string(files["cmd/server/demo/index.html"].Content)
	for _, want := range []string{`data-two-factor="false" data-passkey="true"`, `id="passkey-list"`, `id="passkey-add"`, `id="passkey-sign-in-button"`} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
}

// Without Demo, nothing of it is emitted and main.go does not refer to it.
func TestGenerateWithoutDemo(t *testing.T) {
	for path, f := range generateByPath(t, testOptions()) {
		if strings.HasPrefix(path, "cmd/server/demo") {
			t.Errorf("%s emitted without demo", path)
		}
		if strings.Contains(string(f.Content), "demoHandler") || strings.Contains(string(f.Content), "/demo/") {
			t.Errorf("%s mentions the demo", path)
		}
	}
}

func TestDemoNeedsServer(t *testing.T) {
	_, err := Generate(context.Background(), kernia.Inputs, Options{ModulePath: "m", Demo: true})
	if err == nil || !strings.Contains(err.Error(), "demo needs server") {
		t.Errorf("error %v", err)
	}
}
