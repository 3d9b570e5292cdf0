package main

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// floodResult is a server's answer to a sign-in flood.
type floodResult struct {
	Server     string  `json:"server"`
	Requests   uint64  `json:"requests"`
	Seconds    float64 `json:"seconds"`
	Errors     uint64  `json:"errors"` // transport errors and non-2xx answers
	Server5xx  uint64  `json:"server_5xx"`
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
	PeakRSSMiB float64 `json:"peak_rss_mib"`
}

// flood sends total sign-ins to s from concurrency connections at once, each connection
// sending its next as soon as the last is answered, and waits for every answer.
func flood(s *server, w workload, concurrency, total int) floodResult {
	requests := w.requests(s.name)
	client := &http.Client{
		Timeout:   5 * time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: concurrency, MaxConnsPerHost: concurrency},
	}
	var next atomic.Int64
	var errs, fivexx atomic.Uint64
	latencies := make([]time.Duration, total)
	rss := sampleRSS(s.cmd.Process.Pid)
	start := time.Now()
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= total {
					return
				}
				r := requests[i%len(requests)]
				req, _ := http.NewRequest(r.method, s.url+r.path, strings.NewReader(r.body))
				req.Header = r.header.Clone()
				t := time.Now()
				resp, err := client.Do(req)
				latencies[i] = time.Since(t)
				if err != nil {
					errs.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode >= 300 {
					errs.Add(1)
				}
				if resp.StatusCode >= 500 {
					fivexx.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	return floodResult{
		Server:     s.name,
		Requests:   uint64(total),
		Seconds:    elapsed.Seconds(),
		Errors:     errs.Load(),
		Server5xx:  fivexx.Load(),
		P50ms:      ms(latencies[total/2]),
		P99ms:      ms(latencies[total*99/100]),
		PeakRSSMiB: float64(rss.done()) / (1 << 20),
	}
}
