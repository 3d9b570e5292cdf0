package suggest

import "testing"

func TestClosest(t *testing.T) {
	commands := []string{"init", "generate", "diff", "check", "add", "remove", "version", "help"}
	for _, tt := range []struct{ name, want string }{
		{"genrate", "generate"},
		{"gneerate", "generate"},
		{"generat", "generate"},
		{"inti", "init"},
		{"ad", "add"},
		{"remvoe", "remove"},
		{"Check", "check"},
		{"gen", "generate"},
		{"re", "remove"},
		{"deploy", ""},
		{"x", ""},
		{"", ""},
	} {
		if got := Closest(tt.name, commands); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	plugins := []string{"core", "bearer", "multi-session"}
	for _, tt := range []struct{ name, want string }{
		{"baerer", "bearer"},
		{"bearer-token", ""},
		{"multisession", "multi-session"},
		{"multi_session", "multi-session"},
		{"twoFactor", ""},
	} {
		if got := Closest(tt.name, plugins); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"ab", "ba", 1}, {"abcd", "acbd", 1}, {"same", "same", 0},
	} {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
