//go:build unix

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The ways a user installs and runs kernia-gen, from a module proxy that serves this checkout
// (proxy_test.go). The go commands run with go's own defaults (no -mod=mod), as a user's do.

// userCommand runs a command in dir with the proxy's environment plus env and returns its
// combined output; it fails the test if the command fails.
func userCommand(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	out, _ := timedCommand(t, dir, env, args...)
	return out
}

// timedCommand is userCommand that also returns the CPU time the command used, with the
// processes it waited for (the compiler and linker under go): unlike the time it took, that
// does not grow with the machine's load.
func timedCommand(t *testing.T, dir string, env []string, args ...string) (string, time.Duration) {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(append([]string{}, proxy.env...), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), cpuTime(cmd)
}

func cpuTime(cmd *exec.Cmd) time.Duration {
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// go install ...@latest into a GOBIN, then the installed binary in a new module, up to the
// emitted server answering. The time and CPU time of each step are logged.
func TestInstallWithGoInstall(t *testing.T) {
	moduleProxy(t)
	gobin, dir := t.TempDir(), t.TempDir()
	var steps []string
	start, last := time.Now(), time.Now()
	step := func(name string, cpu time.Duration) {
		steps = append(steps, fmt.Sprintf("%s %v (CPU %v)", name, time.Since(last).Round(100*time.Millisecond), cpu.Round(100*time.Millisecond)))
		last = time.Now()
	}
	_, cpu := timedCommand(t, dir, []string{"GOBIN=" + gobin}, "go", "install", modulePath+"/cmd/kernia-gen@latest")
	step("go install", cpu)
	bin := filepath.Join(gobin, "kernia-gen")
	if out := userCommand(t, dir, nil, bin, "version"); out != "kernia-gen "+proxy.version+"\n" {
		t.Errorf("version: %q, want kernia-gen %s", out, proxy.version)
	}
	userCommand(t, dir, nil, "go", "mod", "init", "example.com/app")
	last = time.Now()
	_, cpu = timedCommand(t, dir, nil, bin, "init", "--server")
	step("init --server", cpu)
	if _, err := os.Stat(filepath.Join(dir, "kernia.yaml")); err != nil {
		t.Fatal(err)
	}
	_, cpu = timedCommand(t, dir, nil, "go", "mod", "tidy")
	step("go mod tidy", cpu)

	dbURL := newDatabase(t)
	addr := freeAddr(t)
	last = time.Now()
	stop := goRun(t, dir, []string{"DATABASE_URL=" + dbURL, "KERNIA_SECRET=" + secret, "KERNIA_BASE_URL=http://" + addr, "ADDR=" + addr}, "./cmd/server")
	defer stop()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		resp, err := http.Get("http://" + addr + "/api/auth/ok")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(body) != `{"ok":true}` {
				t.Fatalf("GET /api/auth/ok: %d %s", resp.StatusCode, body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("go run ./cmd/server did not serve /api/auth/ok: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	served := time.Since(start)
	step("go run to the first 200 from /api/auth/ok", stop())
	t.Logf("from go install to a served page: %v; %s", served.Round(100*time.Millisecond), strings.Join(steps, "; "))

	// go.mod lists no tool, so go generate runs the kernia-gen that go install put on the PATH.
	if !strings.Contains(read(dir, "internal/auth/generate.go"), "\n//go:generate kernia-gen generate\n") {
		t.Fatalf("generate.go lacks the directive:\n%s", read(dir, "internal/auth/generate.go"))
	}
	path := "PATH=" + gobin + string(os.PathListSeparator) + os.Getenv("PATH")
	if out := userCommand(t, dir, []string{path}, "go", "generate", "./..."); !strings.Contains(out, "up to date") {
		t.Errorf("go generate with kernia-gen on the PATH:\n%s", out)
	}
}

// goRun starts go run in dir, in a process group of its own: go run does not pass a signal on
// to the program it runs, so stop signals the whole group, waits for go run to end and
// returns the CPU time it and the program used.
func goRun(t *testing.T, dir string, env []string, args ...string) (stop func() time.Duration) {
	t.Helper()
	cmd := exec.Command("go", append([]string{"run"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(append([]string{}, proxy.env...), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	return func() time.Duration {
		once.Do(func() {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
			_ = cmd.Wait()
			if t.Failed() {
				t.Logf("go run %s:\n%s", strings.Join(args, " "), log.String())
			}
		})
		return cpuTime(cmd)
	}
}

// go get -tool in a new module, go tool kernia-gen init --server, and the emitted
// //go:generate directive: go generate ./... regenerates and keeps the user's edits.
func TestInstallAsToolAndGoGenerate(t *testing.T) {
	moduleProxy(t)
	dir := t.TempDir()
	userCommand(t, dir, nil, "go", "mod", "init", "example.com/app")
	userCommand(t, dir, nil, "go", "get", "-tool", modulePath+"/cmd/kernia-gen@"+proxy.version)
	if out := userCommand(t, dir, nil, "go", "tool", "kernia-gen", "version"); out != "kernia-gen "+proxy.version+"\n" {
		t.Errorf("go tool kernia-gen version: %q, want kernia-gen %s", out, proxy.version)
	}
	userCommand(t, dir, nil, "go", "tool", "kernia-gen", "init", "--server")
	userCommand(t, dir, nil, "go", "mod", "tidy")
	if f := readGoMod(t, filepath.Join(dir, "go.mod")); len(f.Tool) != 1 || f.Tool[0].Path != modulePath+"/cmd/kernia-gen" {
		t.Errorf("go.mod after go mod tidy lacks the tool:\n%s", read(dir, "go.mod"))
	}
	userCommand(t, dir, nil, "go", "build", "./...")

	// An edit to a handler, and a generated file gone: go generate brings the file back, as
	// generate writes it, and keeps the edit.
	replaceIn(signUpFile, "\temail := normalizeEmail(req.Email)\n", "\temail := normalizeEmail(req.Email) // normalised\n")(t, dir)
	const apiFile = "internal/auth/api.gen.go"
	api := read(dir, apiFile)
	must(t, os.Remove(filepath.Join(dir, apiFile)))
	if !strings.Contains(read(dir, "internal/auth/generate.go"), "\n//go:generate go tool kernia-gen generate\n") {
		t.Fatalf("generate.go lacks the directive:\n%s", read(dir, "internal/auth/generate.go"))
	}
	out := userCommand(t, dir, nil, "go", "generate", "./...")
	if !strings.Contains(out, apiFile) {
		t.Errorf("go generate did not report %s:\n%s", apiFile, out)
	}
	if got := read(dir, apiFile); got != api {
		t.Errorf("go generate wrote %s differently:\n%s", apiFile, got)
	}
	if !contains(signUpFile, "// normalised")(dir) {
		t.Errorf("go generate lost the edit to %s", signUpFile)
	}
	userCommand(t, dir, nil, "go", "tool", "kernia-gen", "check")
	userCommand(t, dir, nil, "go", "build", "./...")
}
