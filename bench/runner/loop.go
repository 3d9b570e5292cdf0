package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// An operation is one iteration of a workload whose requests depend on earlier answers (a
// challenge to sign, a redirect to follow), so that wrk's static script cannot send it. It
// sends its requests to s with c and returns the session the iteration ended in, or an error
// unless every answer was right. i numbers the iterations of a run, from 0.
type operation func(c *http.Client, s *server, i int) (signedIn, error)

// signedIn is the session an operation ended in: the user it is for and its cookie.
type signedIn struct {
	email, cookie string
}

// newClient is an HTTP client for an operation loop: keep-alive connections enough for every
// worker, redirects not followed (an operation reads them), a long timeout so that a slow
// answer counts as latency.
func newClient(concurrency int) *http.Client {
	return &http.Client{
		Timeout:   60 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 2 * concurrency, MaxIdleConnsPerHost: concurrency},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// clientLoad drives s with op from concurrency workers for d, as a closed loop like wrk's:
// each worker starts its next iteration as soon as the last one ends. An iteration under way
// at the end is waited for and counted. Latency is an iteration's, all its requests included.
func clientLoad(s *server, op operation, concurrency int, d time.Duration) measurement {
	client := newClient(concurrency)
	defer client.CloseIdleConnections()
	var next atomic.Int64
	var errs atomic.Uint64
	var firstErr sync.Once
	latencies := make([][]time.Duration, concurrency)
	rss := sampleRSS(s.cmd.Process.Pid)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range concurrency {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				t := time.Now()
				_, err := op(client, s, int(next.Add(1)-1))
				latencies[w] = append(latencies[w], time.Since(t))
				if err != nil {
					errs.Add(1)
					firstErr.Do(func() { log.Printf("%s: %v", s.name, err) })
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(latencies...)
	slices.Sort(all)
	m := measurement{
		Requests:   uint64(len(all)),
		Errors:     errs.Load(),
		PeakRSSMiB: float64(rss.done()) / (1 << 20),
	}
	if len(all) > 0 {
		m.RPS = float64(m.Requests-m.Errors) / elapsed.Seconds()
		m.P50ms = ms(all[len(all)/2])
		m.P99ms = ms(all[len(all)*99/100])
	}
	return m
}

// verifyOperation runs op once on s and checks, with get-session, that it ended in a session
// of the user it was for.
func verifyOperation(s *server, w workload) error {
	client := newClient(1)
	defer client.CloseIdleConnections()
	in, err := w.op(client, s, 0)
	if err != nil {
		return fmt.Errorf("%s on %s: %w", w.key, s.name, err)
	}
	resp, body, err := send(client, "GET", s.url+"/api/auth/get-session", http.Header{"Cookie": {in.cookie}}, nil)
	if err != nil {
		return err
	}
	if err := sessionOf(&user{email: in.email})(resp.StatusCode, resp.Header, body); err != nil {
		return fmt.Errorf("%s on %s, the session it started: %w", w.key, s.name, err)
	}
	return nil
}

// send sends one request of an operation and reads the whole answer.
func send(c *http.Client, method, address string, header http.Header, body io.Reader) (*http.Response, []byte, error) {
	req, err := http.NewRequest(method, address, body)
	if err != nil {
		return nil, nil, err
	}
	req.Header = header
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// cookiesOf joins the cookies a response sets as a Cookie header, skipping expired ones.
func cookiesOf(h http.Header) string {
	var out string
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Value == "" || c.MaxAge < 0 {
			continue
		}
		if out != "" {
			out += "; "
		}
		out += c.Name + "=" + c.Value
	}
	return out
}

// pathOf is the path and query of an absolute URL, to send to a server on another address.
func pathOf(address string) (string, error) {
	u, err := url.Parse(address)
	if err != nil {
		return "", err
	}
	return u.RequestURI(), nil
}
