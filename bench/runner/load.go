package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// measurement is one server's figures for one workload.
type measurement struct {
	Requests   uint64  `json:"requests"`
	RPS        float64 `json:"rps"` // successful responses per second
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
	Errors     uint64  `json:"errors"` // transport errors, timeouts and non-2xx answers
	PeakRSSMiB float64 `json:"peak_rss_mib"`
	// ProviderCores is the identity provider's average CPU use during the run, in cores, for
	// a workload whose iterations visit it.
	ProviderCores float64 `json:"provider_cores,omitempty"`
}

// load is how hard and how long a workload is driven.
type load struct {
	concurrency uint64
	warmup      time.Duration
	duration    time.Duration
}

// run drives s with w for l.warmup (discarded), then for l.duration, sampling its memory:
// with wrk, or with the Go client for a workload of operations.
func run(s *server, w workload, l load) (measurement, error) {
	if w.op != nil {
		if l.warmup > 0 {
			clientLoad(s, w.op, int(l.concurrency), l.warmup)
		}
		if w.provider == nil {
			return clientLoad(s, w.op, int(l.concurrency), l.duration), nil
		}
		pid := w.provider.cmd.Process.Pid
		cpu, start := cpuTime(pid), time.Now()
		m := clientLoad(s, w.op, int(l.concurrency), l.duration)
		m.ProviderCores = (cpuTime(pid) - cpu).Seconds() / time.Since(start).Seconds()
		return m, nil
	}
	if l.warmup > 0 {
		if _, err := wrk(s, w, l.concurrency, l.warmup); err != nil {
			return measurement{}, err
		}
	}
	rss := sampleRSS(s.cmd.Process.Pid)
	r, err := wrk(s, w, l.concurrency, l.duration)
	peak := rss.done()
	if err != nil {
		return measurement{}, err
	}
	failed := r.NonSuccess + r.Connect + r.Read + r.Write + r.Timeout
	return measurement{
		Requests:   r.Requests,
		RPS:        float64(r.Requests-min(r.Requests, r.NonSuccess)) / (float64(r.DurationUs) / 1e6),
		P50ms:      float64(r.P50us) / 1000,
		P99ms:      float64(r.P99us) / 1000,
		Errors:     failed,
		PeakRSSMiB: float64(peak) / (1 << 20),
	}, nil
}

// wrkResult is what the generated script's done() prints.
type wrkResult struct {
	Requests   uint64 `json:"requests"`
	DurationUs uint64 `json:"duration_us"`
	NonSuccess uint64 `json:"non_success"` // status >= 400
	Connect    uint64 `json:"connect"`
	Read       uint64 `json:"read"`
	Write      uint64 `json:"write"`
	Timeout    uint64 `json:"timeout"`
	P50us      uint64 `json:"p50_us"`
	P99us      uint64 `json:"p99_us"`
}

// runs numbers the wrk runs, so that sign-up addresses differ from one run to the next.
var runs int

// wrk runs the wrk load generator (one thread, a closed loop over concurrency keep-alive
// connections) against s for d, sending w's requests in turn.
func wrk(s *server, w workload, concurrency uint64, d time.Duration) (wrkResult, error) {
	script, err := os.CreateTemp("", "kernia-bench-*.lua")
	if err != nil {
		return wrkResult{}, err
	}
	defer os.Remove(script.Name())
	requests := w.requests(s.name)
	runs++
	for i := range requests {
		requests[i].body = strings.ReplaceAll(requests[i].body, "{run}", strconv.Itoa(runs))
	}
	if _, err := script.WriteString(luaScript(requests)); err != nil {
		return wrkResult{}, err
	}
	script.Close()
	// The timeout is long so that a slow answer counts as latency, not as an error.
	cmd := exec.Command("wrk", "-t1", "-c"+strconv.FormatUint(concurrency, 10), "-d"+strconv.Itoa(int(d.Seconds()+0.5))+"s",
		"--timeout", "60s", "-s", script.Name(), s.url)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %w: %s", err, stderr.String())
	}
	_, line, ok := strings.Cut(out.String(), "RESULT ")
	var r wrkResult
	if !ok || json.Unmarshal([]byte(strings.TrimSpace(line)), &r) != nil {
		return wrkResult{}, fmt.Errorf("wrk printed no result:\n%s%s", out.String(), stderr.String())
	}
	return r, nil
}

// verify sends the workload's first request once and checks the answer.
func verify(s *server, w workload) error {
	r := w.requests(s.name)[0]
	client := newClient(1) // redirects are answers to check, not to follow
	defer client.CloseIdleConnections()
	body := strings.NewReader(strings.NewReplacer("{n}", "0", "{run}", "0").Replace(r.body))
	resp, answer, err := send(client, r.method, s.url+r.path, r.header.Clone(), body)
	if err != nil {
		return err
	}
	if err := w.check(resp.StatusCode, resp.Header, answer); err != nil {
		return fmt.Errorf("%s on %s: %w", w.key, s.name, err)
	}
	return nil
}

// measure runs w on every side for rounds rounds, the sides taking turns within each round so
// that drift in the machine's load touches all of them alike. Each side's reported figures are
// those of its round with the median req/s; its peak RSS is the highest of all rounds.
func measure(w workload, sides []string, serverFor func(workload, string) *server, l load, rounds int) (row, error) {
	rounds = max(rounds, 1)
	all := map[string][]measurement{}
	for i := range rounds {
		for _, side := range sides {
			li := l
			if i > 0 {
				li.warmup = 0 // warm already
			}
			m, err := run(serverFor(w, side), w, li)
			if err != nil {
				return row{}, err
			}
			all[side] = append(all[side], m)
		}
	}
	r := row{Key: w.key, Title: w.title, By: map[string]measurement{}}
	for side, ms := range all {
		peak := 0.0
		for _, m := range ms {
			peak = max(peak, m.PeakRSSMiB)
		}
		slices.SortFunc(ms, func(a, b measurement) int { return cmp.Compare(a.RPS, b.RPS) })
		median := ms[len(ms)/2]
		median.PeakRSSMiB = peak
		r.By[side] = median
	}
	return r, nil
}

// verifyWorkload checks w's answers on s: its first request, or one iteration of its
// operation.
func verifyWorkload(s *server, w workload) error {
	if w.op != nil {
		return verifyOperation(s, w)
	}
	return verify(s, w)
}
