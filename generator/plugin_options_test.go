package generator

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	kernia "github.com/kernia/kernia-gen"
)

// A list option reads from --option as comma-separated names and from kernia.yaml as a list,
// is kept in the order of its allowed values, and is written back as a flow list.
func TestListOptionRoundTrip(t *testing.T) {
	o, err := Options{ModulePath: "example.com/app"}.withDefaults().WithPlugin("social", []string{"providers=github, google"})
	if err != nil {
		t.Fatal(err)
	}
	if got := o.PluginOptions["social"]["providers"]; !optionEqual(got, []string{"google", "github"}) {
		t.Fatalf("providers %v", got)
	}
	out := string(o.YAML())
	if !strings.Contains(out, "  - social:\n      providers: [google, github] # providers users can sign in with") {
		t.Fatalf("kernia.yaml:\n%s", out)
	}
	back, err := parseConfig([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if !samePlugins(back.withDefaults(), o) {
		t.Errorf("read back %v", back.PluginOptions)
	}
	block, err := parseConfig([]byte("plugins:\n  - social:\n      providers:\n        - github\n"))
	if err != nil || !optionEqual(block.PluginOptions["social"]["providers"], []string{"github"}) {
		t.Errorf("block list: %v %v", block.PluginOptions, err)
	}
}

func TestListOptionErrorsNameTheLine(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"plugins:\n  - social:\n      providers: [google, twitter]\n", `3: social.providers: unknown value "twitter" (allowed: google, github, oidc, apple, microsoft, discord)`},
		{"plugins:\n  - social:\n      providers:\n        - github\n        - github\n", "5: social.providers: github is listed twice"},
		{"plugins:\n  - social:\n      providers: []\n", "3: social.providers: choose at least one of google, github"},
		{"plugins:\n  - social:\n      providers: {google: true}\n", "3: social.providers: expected a list of google, github"},
		{"plugins:\n  - social:\n      providers: [[google]]\n", "3: social.providers: expected a list of google, github"},
	} {
		_, err := parseConfig([]byte(tt.file))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %q", tt.file, err, tt.want)
		}
	}
}

// add social --option providers=... edits the list in place, keeping the user's comments.
func TestEditListOptionInPlace(t *testing.T) {
	p := testModule(t)
	opts := Options{ModulePath: "example.com/app"}.withDefaults()
	social, err := opts.WithPlugin("social", []string{"providers=google"})
	if err != nil {
		t.Fatal(err)
	}
	file := strings.Replace(string(social.YAML()), "plugins:\n", "plugins: # mine\n", 1)
	if err := p.WriteConfig([]byte(file)); err != nil {
		t.Fatal(err)
	}
	both, err := social.WithPlugin("social", []string{"providers=google,github"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.EditConfig(both)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "plugins: # mine\n") || !strings.Contains(string(out), "      providers: [google, github] #") {
		t.Errorf("edited file:\n%s", out)
	}
}

// Only the chosen providers' files are emitted.
func TestSocialEmitsOnlyChosenProviders(t *testing.T) {
	for _, tt := range []struct {
		providers string
		want, not []string
	}{
		{"google", []string{"social_google.go"}, []string{"social_github.go"}},
		{"github", []string{"social_github.go"}, []string{"social_google.go"}},
		{"google,github", []string{"social_google.go", "social_github.go"}, nil},
	} {
		opts, err := Options{ModulePath: "example.com/app"}.withDefaults().WithPlugin("social", []string{"providers=" + tt.providers})
		if err != nil {
			t.Fatal(err)
		}
		files, err := Generate(context.Background(), kernia.Inputs, opts)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range files {
			names = append(names, strings.TrimPrefix(f.Path, "internal/auth/"))
		}
		for _, w := range append([]string{"social.go", "handle_social.go"}, tt.want...) {
			if !slices.Contains(names, w) {
				t.Errorf("providers=%s: no %s", tt.providers, w)
			}
		}
		for _, n := range tt.not {
			if slices.Contains(names, n) {
				t.Errorf("providers=%s: %s emitted", tt.providers, n)
			}
		}
	}
}

// AddRequirements adds a plugin's modules once, and leaves an up-to-date go.mod untouched
// (a second generate must change no file, not even its time).
func TestAddRequirementsLeavesGoModAlone(t *testing.T) {
	p := testModule(t)
	opts, err := Options{ModulePath: "example.com/app"}.withDefaults().WithPlugin("social", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AddRequirements(opts); err != nil {
		t.Fatal(err)
	}
	first := p.mustRead(t, "go.mod")
	if !strings.Contains(first, "golang.org/x/oauth2 v0.38.0") || !strings.Contains(first, "github.com/coreos/go-oidc/v3 v3.21.0") {
		t.Fatalf("go.mod:\n%s", first)
	}
	info, err := os.Stat(p.path("go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	if err := p.AddRequirements(opts); err != nil {
		t.Fatal(err)
	}
	again, err := os.Stat(p.path("go.mod"))
	if err != nil || !again.ModTime().Equal(info.ModTime()) {
		t.Errorf("go.mod rewritten: %v → %v (%v)", info.ModTime(), again.ModTime(), err)
	}
}
