package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// measurement is one server's figures for one workload.
type measurement struct {
	Requests   uint64  `json:"requests"`
	RPS        float64 `json:"rps"` // successful responses per second
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
	Errors     uint64  `json:"errors"` // transport errors and non-2xx answers
	Server5xx  uint64  `json:"server_5xx"`
	PeakRSSMiB float64 `json:"peak_rss_mib"`
}

// load is how hard and how long a workload is driven.
type load struct {
	concurrency uint64
	warmup      time.Duration
	duration    time.Duration
	max         uint64 // requests at most per run (0: no bound)
}

// run drives s with w for l.warmup (discarded), then for l.duration, sampling its memory.
func run(s *server, w workload, l load) measurement {
	if l.warmup > 0 {
		attack(s, w, l.concurrency, l.warmup, l.max, nil)
	}
	rss := sampleRSS(s.cmd.Process.Pid)
	var m vegeta.Metrics
	attack(s, w, l.concurrency, l.duration, l.max, &m)
	peak := rss.done()
	m.Close()
	out := measurement{
		Requests:   m.Requests,
		RPS:        m.Throughput,
		P50ms:      ms(m.Latencies.P50),
		P99ms:      ms(m.Latencies.P99),
		PeakRSSMiB: float64(peak) / (1 << 20),
	}
	for code, n := range m.StatusCodes {
		if !strings.HasPrefix(code, "2") {
			out.Errors += uint64(n)
		}
		if strings.HasPrefix(code, "5") {
			out.Server5xx += uint64(n)
		}
	}
	return out
}

// attack runs concurrency closed-loop workers against s for at most d and max requests.
func attack(s *server, w workload, concurrency uint64, d time.Duration, max uint64, m *vegeta.Metrics) {
	var seq atomic.Uint64
	targeter := func(t *vegeta.Target) error {
		i := seq.Add(1) - 1
		if max > 0 && i >= max {
			return vegeta.ErrNoTargets
		}
		*t = w.request(s, i)
		return nil
	}
	a := vegeta.NewAttacker(
		vegeta.Workers(concurrency), vegeta.MaxWorkers(concurrency),
		vegeta.Connections(int(concurrency)), vegeta.MaxConnections(int(concurrency)),
		vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(60*time.Second), vegeta.MaxBody(0),
	)
	// A zero rate with a fixed worker pool is a closed loop: each worker sends its next
	// request as soon as the previous one is answered.
	for res := range a.Attack(targeter, vegeta.Rate{}, d, w.key) {
		// The worker that found the count used up reports it as a result; it sent nothing.
		if m != nil && res.Error != vegeta.ErrNoTargets.Error() {
			m.Add(res)
		}
	}
}

// verify sends request(s, 0) once and checks the answer.
func verify(s *server, w workload) error {
	t := w.request(s, 0)
	req, err := t.Request()
	if err != nil {
		return err
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if err := w.check(resp.StatusCode, resp.Header, body); err != nil {
		return fmt.Errorf("%s on %s: %w", w.key, s.name, err)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
