package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// cluster is a PostgreSQL cluster of one test's own, which the test may stop, start and
// freeze; the shared test database must not be touched that way. It is made as
// scripts/postgres.sh makes one: initdb into a temporary directory, as the postgres user when
// the test runs as root, on a free loopback port.
type cluster struct {
	bin  string // PostgreSQL's bin directory
	dir  string // holds data/, the socket and server.log
	port int
}

// newCluster initdbs and starts a cluster, removed again when the test ends. Without the
// PostgreSQL binaries the test is skipped, except under CI=true, where it fails.
func newCluster(t *testing.T) *cluster {
	t.Helper()
	bin := postgresBin()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no PostgreSQL binaries (initdb, pg_ctl); CI requires them")
		}
		t.Skip("no PostgreSQL binaries (initdb, pg_ctl) to make a cluster of the test's own")
	}
	dir, err := os.MkdirTemp("", "kernia-faults-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{bin: bin, dir: dir}
	t.Cleanup(func() {
		c.signal(syscall.SIGCONT)
		_ = c.pgCtl("stop", "-m", "immediate").Run()
		os.RemoveAll(dir)
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root.
		pg, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs a postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	if out, err := c.asPostgres(filepath.Join(bin, "initdb"), "-D", c.data(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	c.start(t)
	return c
}

// postgresBin finds the directory of initdb and pg_ctl: Debian's versioned directory, or PATH.
func postgresBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i]
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	return ""
}

func (c *cluster) data() string { return filepath.Join(c.dir, "data") }

// url is the admin URL of the cluster's postgres database.
func (c *cluster) url() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// asPostgres runs a command as the postgres user when the test runs as root.
func (c *cluster) asPostgres(name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func (c *cluster) pgCtl(args ...string) *exec.Cmd {
	return c.asPostgres(filepath.Join(c.bin, "pg_ctl"), append([]string{"-D", c.data()}, args...)...)
}

// start starts the cluster and waits until it accepts connections.
func (c *cluster) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off", c.port, c.dir)
	if out, err := c.pgCtl("start", "-w", "-t", "60", "-l", filepath.Join(c.dir, "server.log"), "-o", opts).CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// stop shuts the cluster down as an operator would for maintenance: pg_ctl stop -m fast
// ends every session, in the middle of its query if need be.
func (c *cluster) stop(t *testing.T) {
	t.Helper()
	if out, err := c.pgCtl("stop", "-m", "fast", "-w").CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

// signal sends sig to the postmaster and every process it started: SIGSTOP freezes the
// database as a hung host would (connections open, nothing answers), SIGCONT thaws it.
func (c *cluster) signal(sig syscall.Signal) {
	pidFile, err := os.ReadFile(filepath.Join(c.data(), "postmaster.pid"))
	if err != nil {
		return
	}
	first, _, _ := strings.Cut(string(pidFile), "\n")
	postmaster, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil {
		return
	}
	pids := []int{postmaster}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces and parentheses.
		rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
		if f := strings.Fields(rest); len(f) > 1 && f[1] == strconv.Itoa(postmaster) {
			pids = append(pids, pid)
		}
	}
	if sig == syscall.SIGCONT {
		// Children first, so that the postmaster finds them running.
		for i, j := 0, len(pids)-1; i < j; i, j = i+1, j-1 {
			pids[i], pids[j] = pids[j], pids[i]
		}
	}
	for _, pid := range pids {
		_ = syscall.Kill(pid, sig)
	}
}
