package main

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"net/http"
	"strings"
	"time"
)

// Memory per connection: the server's resident memory with 1, 1,000 and 10,000 idle
// keep-alive connections open, each having made one request, as browsers and proxies leave
// them. The difference from one connection, divided by the extra connections, is what each
// costs.

// connRow is one server's resident memory with a number of idle connections open.
type connRow struct {
	Server      string  `json:"server"`
	Connections int     `json:"connections"`
	RSSMiB      float64 `json:"rss_mib"`
	// PerConnKiB is (RSS − RSS with one connection) / (connections − 1); 0 for one.
	PerConnKiB float64 `json:"per_connection_kib"`
}

// measureConns opens counts (ascending, the first 1) idle keep-alive connections to each of
// servers and reads its resident memory with them open.
func measureConns(servers []*server, counts []int) ([]connRow, error) {
	var rows []connRow
	for _, s := range servers {
		var base float64
		for _, n := range counts {
			conns, err := openIdle(s, n)
			if err != nil {
				closeAll(conns)
				return nil, err
			}
			time.Sleep(500 * time.Millisecond) // let the server settle
			mib := float64(treeRSS(s.cmd.Process.Pid)) / (1 << 20)
			closeAll(conns)
			row := connRow{Server: s.name, Connections: n, RSSMiB: mib}
			if n == counts[0] {
				base = mib
			} else {
				row.PerConnKiB = (mib - base) * 1024 / float64(n-counts[0])
			}
			rows = append(rows, row)
			log.Printf("%-13s %6d idle connections: RSS %7.1f MiB, %5.1f KiB per connection", s.name, n, mib, row.PerConnKiB)
			time.Sleep(time.Second) // let the closed connections go
		}
	}
	return rows, nil
}

// openIdle opens n connections to s, sends GET /ok on each and reads the answer, leaving the
// connection open and idle.
func openIdle(s *server, n int) ([]net.Conn, error) {
	addr := strings.TrimPrefix(s.url, "http://")
	conns := make([]net.Conn, 0, n)
	for range n {
		c, err := net.DialTimeout("tcp", addr, 10*time.Second)
		if err != nil {
			return conns, fmt.Errorf("%s: connection %d of %d: %w", s.name, len(conns)+1, n, err)
		}
		conns = append(conns, c)
		if _, err := fmt.Fprintf(c, "GET /api/auth/ok HTTP/1.1\r\nHost: %s\r\n\r\n", addr); err != nil {
			return conns, err
		}
		c.SetReadDeadline(time.Now().Add(30 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return conns, fmt.Errorf("%s: connection %d: %w", s.name, len(conns), err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Close {
			return conns, fmt.Errorf("%s: connection %d: status %d, close %v", s.name, len(conns), resp.StatusCode, resp.Close)
		}
	}
	return conns, nil
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}
