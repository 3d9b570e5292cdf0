package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// results is one bench run.
type results struct {
	Date              string        `json:"date"`
	Cores             int           `json:"cores"`
	Concurrency       uint64        `json:"concurrency"`
	ScryptConcurrency uint64        `json:"scrypt_concurrency"`
	ClientConcurrency uint64        `json:"client_concurrency"`
	FloodConcurrency  uint64        `json:"flood_concurrency"`
	Duration          string        `json:"duration"` // per round
	Rounds            int           `json:"rounds"`
	Smoke             bool          `json:"smoke"`
	Rows              []row         `json:"workloads"`
	Plugins           []row         `json:"plugins,omitempty"`
	Flood             []floodResult `json:"flood"`
	Generation        *generation   `json:"generation,omitempty"`
	Growth            []growthRow   `json:"growth,omitempty"`
	Conns             []connRow     `json:"connections,omitempty"`
}

type row struct {
	Key   string                 `json:"key"`
	Title string                 `json:"title"`
	By    map[string]measurement `json:"by_server"`
}

// ratio is a/b, or 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// smokeCheck fails unless every server answered the smoke load without an error. A scrypt
// workload may see no answer complete in the smoke's two seconds on a slow machine; the
// flood, which waits for every answer, covers sign-in instead.
func (r results) smokeCheck(ws []workload) error {
	var errs []error
	for _, w := range slices.Concat(r.Rows, r.Plugins) {
		for side, m := range w.By {
			if (m.Requests == 0 && !byKey(ws, w.Key).scrypt) || m.Errors > 0 {
				errs = append(errs, fmt.Errorf("%s on %s: %d requests, %d errors", w.Key, side, m.Requests, m.Errors))
			}
		}
	}
	for _, f := range r.Flood {
		if f.Requests == 0 || f.Errors > 0 {
			errs = append(errs, fmt.Errorf("sign-in flood on %s: %d requests, %d errors", f.Server, f.Requests, f.Errors))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	fmt.Println("bench smoke: ok")
	return nil
}

// redraw rewrites the tables and charts in dir from its latest.json, after a change to how
// they are drawn.
func redraw(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "latest.json"))
	if err != nil {
		return err
	}
	var r results
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	return r.write(dir)
}

// write stores latest.json, latest.md and latest.png in dir.
func (r results) write(dir string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "latest.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "latest.md"), []byte(r.markdown()), 0o644); err != nil {
		return err
	}
	// The chart is of the core workloads; -only may have measured none.
	if len(r.Rows) > 0 {
		if err := r.chart(filepath.Join(dir, "latest.png")); err != nil {
			return err
		}
	}
	if len(r.Growth) == 0 {
		return nil
	}
	return r.growthChart(filepath.Join(dir, "latest-growth.png"))
}

func (r results) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Bench results\n\n%s, %d cores, %d connections (%d for sign-in and sign-up); "+
		"after a warm-up, each workload runs %d rounds of %s on each server in turn, and the round with the median req/s is shown; ",
		r.Date, r.Cores, r.Concurrency, r.ScryptConcurrency, r.Rounds, r.Duration)
	b.WriteString("every server on one PostgreSQL, the load generator on loopback. Node runs as one process and as a cluster " +
		"of one worker per core (its RSS is the primary's and the workers'). Written by `bench/run`.\n\n")
	// -only may have measured plugin workloads alone.
	if len(r.Rows) > 0 {
		r.coreTable(&b)
	}
	if len(r.Plugins) > 0 {
		r.pluginTable(&b)
	}
	if len(r.Flood) > 0 {
		b.WriteString("\n## Sign-in flood\n\n")
		fmt.Fprintf(&b, "%d sign-ins to each server in turn, %d at once.\n\n", r.Flood[0].Requests, r.FloodConcurrency)
		b.WriteString("| server | sign-ins | seconds | p50 ms | p99 ms | peak RSS MiB | errors | 5xx |\n|---|--:|--:|--:|--:|--:|--:|--:|\n")
		for _, f := range r.Flood {
			fmt.Fprintf(&b, "| %s | %d | %.1f | %.0f | %.0f | %.1f | %d | %d |\n",
				label(f.Server), f.Requests, f.Seconds, f.P50ms, f.P99ms, f.PeakRSSMiB, f.Errors, f.Server5xx)
		}
	}
	if len(r.Growth) > 0 {
		b.WriteString("\n## Cost as the data grows\n\n")
		b.WriteString("The user and session tables filled with COPY up to each size (one session per user, random tokens), " +
			"then each workload measured as above. Change is against the smallest size.\n\n")
		b.WriteString("| sessions | workload | server | req/s | p50 ms | p99 ms | p50 change | p99 change |\n|--:|---|---|--:|--:|--:|--:|--:|\n")
		first := map[string]growthRow{}
		for _, g := range r.Growth {
			key := g.Workload + "/" + g.Server
			if _, ok := first[key]; !ok {
				first[key] = g
			}
			f := first[key]
			fmt.Fprintf(&b, "| %d | %s | %s | %.0f | %.2f | %.2f | %+.0f %% | %+.0f %% |\n", g.Sessions, g.Workload, label(g.Server),
				g.RPS, g.P50ms, g.P99ms, 100*(ratio(g.P50ms, f.P50ms)-1), 100*(ratio(g.P99ms, f.P99ms)-1))
		}
		b.WriteString("\n![latency as the data grows](latest-growth.png)\n")
	}
	if len(r.Conns) > 0 {
		b.WriteString("\n## Memory per connection\n\n")
		b.WriteString("Resident memory with that many idle keep-alive connections open, each after one request " +
			"(`GET /ok`); per connection: the growth over one connection, divided by the extra connections.\n\n")
		b.WriteString("| server | idle connections | RSS MiB | KiB per connection |\n|---|--:|--:|--:|\n")
		for _, c := range r.Conns {
			fmt.Fprintf(&b, "| %s | %d | %.1f | %.1f |\n", label(c.Server), c.Connections, c.RSSMiB, c.PerConnKiB)
		}
	}
	if g := r.Generation; g != nil {
		b.WriteString("\n## Generation\n\n")
		fmt.Fprintf(&b, "Median of %d runs: `kernia-gen init --server` in a new module **%.0f ms**; `kernia-gen generate` on a warm tree **%.0f ms**.\n",
			g.Runs, g.InitMs, g.GenerateMs)
	}
	return b.String()
}

// coreTable writes the core workloads' table.
func (r results) coreTable(b *strings.Builder) {
	workloadTable(b, r.Rows, true)
}

// workloadTable writes one row per workload and server, and for the Go server its ratio to
// the Node cluster, to one Node process and, with ceiling, to the ceiling.
func workloadTable(b *strings.Builder, rows []row, ceiling bool) {
	head, align := "| workload | server | req/s | p50 ms | p99 ms | peak RSS MiB | errors | Go/Node cluster | Go/Node |", "|---|---|--:|--:|--:|--:|--:|--:|--:|"
	if ceiling {
		head, align = head+" Go/ceiling |", align+"--:|"
	}
	b.WriteString(head + "\n" + align + "\n")
	for _, w := range rows {
		g := w.By["go"]
		for _, side := range serverOrder {
			m, ok := w.By[side]
			if !ok {
				continue
			}
			ratios := []string{"", ""}
			if ceiling {
				ratios = append(ratios, "")
			}
			if side == "go" {
				ratios[0] = fmt.Sprintf("**%.2f×**", ratio(g.RPS, w.By["node-cluster"].RPS))
				ratios[1] = fmt.Sprintf("%.2f×", ratio(g.RPS, w.By["node"].RPS))
				if ceiling {
					ratios[2] = fmt.Sprintf("**%.0f %%**", 100*ratio(g.RPS, w.By["ceiling"].RPS))
				}
			}
			fmt.Fprintf(b, "| %s | %s | %.0f | %.2f | %.2f | %.1f | %d | %s |\n",
				w.Title, label(side), m.RPS, m.P50ms, m.P99ms, m.PeakRSSMiB, m.Errors, strings.Join(ratios, " | "))
		}
	}
}

// pluginTable writes the plugin workloads' table.
func (r results) pluginTable(b *strings.Builder) {
	b.WriteString("\n## Plugins\n\n")
	fmt.Fprintf(b, "On servers of their own with the two-factor, passkey and social plugins (bench/README.md). "+
		"verify-totp is sent by wrk with %d connections; the passkey and social sign-ins, whose requests depend on the "+
		"answers before them, by a Go client with %d at once, and a figure is one whole sign-in (two and three requests), "+
		"the local identity provider's part included in the social one.\n\n", r.Concurrency, r.ClientConcurrency)
	workloadTable(b, r.Plugins, false)
	for _, w := range r.Plugins {
		var used []string
		for _, side := range serverOrder {
			if m := w.By[side]; m.ProviderCores > 0 {
				used = append(used, fmt.Sprintf("%s %.2f", label(side), m.ProviderCores))
			}
		}
		if len(used) > 0 {
			fmt.Fprintf(b, "\nThe identity provider's CPU use during %s, in cores (of %d): %s. Where it nears one core, "+
				"the provider, one Node process, sets the pace rather than the server.\n", w.Title, r.Cores, strings.Join(used, ", "))
		}
	}
}

// providerNote is, for a measurement with the identity provider in it, the provider's CPU use.
func providerNote(m measurement) string {
	if m.ProviderCores == 0 {
		return ""
	}
	return fmt.Sprintf("  (identity provider %.2f cores)", m.ProviderCores)
}

// serverOrder is the order the servers are reported in.
var serverOrder = []string{"go", "node-cluster", "node", "ceiling"}

func label(side string) string {
	switch side {
	case "go":
		return "Go (emitted)"
	case "node":
		return "Node Better Auth (1 process)"
	case "node-cluster":
		return "Node Better Auth (cluster)"
	default:
		return "ceiling (bare pgx)"
	}
}
