package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// server is one process under test.
type server struct {
	name string // "go", "node", "node-cluster", "ceiling"
	url  string // http://127.0.0.1:port
	cmd  *exec.Cmd
	log  *os.File
}

// baseURL is the public URL every server is configured with; requests carry it as Origin.
const baseURL = "http://localhost:3000"

// start runs a server process and waits until it answers on addr.
func start(name, logDir string, env []string, argv ...string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	logFile, err := os.Create(fmt.Sprintf("%s/%s.log", logDir, name))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(append(os.Environ(), env...), "ADDR="+addr)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s := &server{name: name, url: "http://" + addr, cmd: cmd, log: logFile}
	if err := s.waitReady(60 * time.Second); err != nil {
		s.stop()
		return nil, fmt.Errorf("%s did not start (see %s): %w", name, logFile.Name(), err)
	}
	return s, nil
}

func (s *server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.url + "/api/auth/get-session")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if s.cmd.ProcessState != nil {
			return fmt.Errorf("exited: %v", s.cmd.ProcessState)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("no answer within %v", limit)
}

func (s *server) stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			s.cmd.Process.Kill()
			<-done
		}
	}
	s.log.Close()
}

// clusterScript is the cluster wrapper beside the Node reference server: Node Better Auth
// with one worker per core (conformance/servers/node-cluster.mjs).
func clusterScript(nodeScript string) string {
	return filepath.Join(filepath.Dir(nodeScript), "node-cluster.mjs")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// rssSampler records the highest resident set size of a process, its children included,
// while it runs.
type rssSampler struct {
	pid    int
	cancel context.CancelFunc
	wg     sync.WaitGroup
	peak   int64 // bytes
}

func sampleRSS(pid int) *rssSampler {
	ctx, cancel := context.WithCancel(context.Background())
	r := &rssSampler{pid: pid, cancel: cancel}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if b := treeRSS(pid); b > r.peak {
				r.peak = b
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return r
}

// done stops sampling and returns the peak in bytes.
func (r *rssSampler) done() int64 {
	r.cancel()
	r.wg.Wait()
	return r.peak
}

// treeRSS is the resident set of a process and its children (a Node cluster's primary and
// workers), in bytes.
func treeRSS(pid int) int64 {
	total := rss(pid)
	children, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		return total
	}
	for _, f := range strings.Fields(string(children)) {
		if child, err := strconv.Atoi(f); err == nil {
			total += treeRSS(child)
		}
	}
	return total
}

// cpuTime is the CPU time a process has used (user and system, /proc/<pid>/stat), 0 if it
// cannot be read. The kernel counts it in ticks of 1/100 s (USER_HZ on Linux).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command, which is in parentheses and may hold spaces: utime and
	// stime are the 12th and 13th.
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	user, _ := strconv.ParseInt(fields[11], 10, 64)
	system, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(user+system) * 10 * time.Millisecond
}

// rss reads VmRSS from /proc/<pid>/status, in bytes; 0 if it cannot.
func rss(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
