// Command runner is the benchmark: it starts the emitted Go server, Node Better Auth and the
// bare-pgx ceiling on one PostgreSQL database, drives each with the same workloads from a
// closed-loop load generator on loopback, and writes the figures as Markdown, JSON and a PNG
// chart. With -go-plugins it measures the plugin workloads too (plugins.go), on servers of
// their own. With -smoke it runs each workload for a moment and fails unless every server
// answers every workload correctly. bench/run builds and passes the binaries.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

type options struct {
	goBin, nodeScript, ceilingBin, kerniaGen string
	goPluginsBin, idpScript                  string
	adminURL, out                            string
	smoke                                    bool
	duration, warmup                         time.Duration
	rounds                                   int
	concurrency, scryptConcurrency           uint64
	clientConcurrency                        uint64
	flood, floodRequests                     uint64
	users                                    int
	only                                     string
	growth, conns                            []int
}

func main() {
	var o options
	flag.StringVar(&o.goBin, "go", "", "the emitted server (kernia-gen init --server, with bearer and multi-session)")
	flag.StringVar(&o.nodeScript, "node", "", "conformance/servers/node-server.mjs")
	flag.StringVar(&o.ceilingBin, "ceiling", "", "the bare-pgx ceiling server (bench/ceiling)")
	flag.StringVar(&o.goPluginsBin, "go-plugins", "", "the emitted server with two-factor, passkey and social (Google), for the plugin workloads (optional)")
	flag.StringVar(&o.idpScript, "idp", "", "conformance/servers/dev-idp.mjs, the local identity provider (with -go-plugins)")
	flag.StringVar(&o.kerniaGen, "kernia-gen", "", "kernia-gen, for the generation timings (optional)")
	flag.StringVar(&o.adminURL, "db", os.Getenv("KERNIA_TEST_DATABASE_URL"), "admin URL of the PostgreSQL cluster")
	flag.StringVar(&o.out, "out", "bench/results", "folder for the results")
	flag.BoolVar(&o.smoke, "smoke", false, "a few seconds per server: check every answer, measure nothing")
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "measured time per round, workload and server")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds per workload and server; the round with the median req/s is reported")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured time before each measurement")
	flag.Uint64Var(&o.concurrency, "c", 64, "concurrent connections")
	flag.Uint64Var(&o.scryptConcurrency, "c-scrypt", 8, "concurrent connections for sign-in and sign-up")
	flag.Uint64Var(&o.clientConcurrency, "c-client", 16, "concurrent iterations of the workloads the Go client sends (passkey, social)")
	flag.Uint64Var(&o.flood, "flood", 200, "concurrent sign-ins in the flood test (0: no flood)")
	flag.Uint64Var(&o.floodRequests, "flood-requests", 1000, "sign-ins in the flood test")
	flag.IntVar(&o.users, "users", 64, "seeded users per role")
	flag.StringVar(&o.only, "only", "", "comma-separated workload keys to run (default: all), e.g. get-session-cookie")
	growth := flag.String("growth", "10000,1000000,10000000", "session counts to grow the tables to for the growth table (empty: none)")
	conns := flag.String("conns", "1,1000,10000", "idle keep-alive connection counts for the memory table (empty: none)")
	redrawOnly := flag.Bool("redraw", false, "rewrite latest.md and the charts in -out from its latest.json, measuring nothing")
	flag.Parse()
	if *redrawOnly {
		if err := redraw(o.out); err != nil {
			log.Fatal("bench: -redraw: ", err)
		}
		return
	}
	if o.smoke {
		o.duration, o.warmup, o.users, o.rounds = 2*time.Second, 0, 4, 1
		o.concurrency, o.scryptConcurrency, o.clientConcurrency, o.flood, o.floodRequests = 8, 2, 4, 5, 10
		*growth, *conns = "1000", "1,50" // the code runs; the sizes mean nothing
	}
	var err error
	if o.growth, err = counts(*growth); err != nil {
		log.Fatal("bench: -growth: ", err)
	}
	if o.conns, err = counts(*conns); err != nil {
		log.Fatal("bench: -conns: ", err)
	}
	if err := bench(o); err != nil {
		log.Fatal("bench: ", err)
	}
}

func bench(o options) error {
	if o.goBin == "" || o.nodeScript == "" || o.ceilingBin == "" || o.adminURL == "" {
		return fmt.Errorf("-go, -node, -ceiling and -db are required")
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	logDir, err := os.MkdirTemp("", "kernia-bench-logs-")
	if err != nil {
		return err
	}
	dbURL, err := freshDatabase(o.adminURL, "kernia_bench")
	if err != nil {
		return err
	}
	runID := strconv.FormatInt(time.Now().Unix(), 36)

	common := []string{
		"DATABASE_URL=" + dbURL,
		"KERNIA_SECRET=bench-secret-0123456789abcdef0123456789abcdef",
		"KERNIA_BASE_URL=" + baseURL,
		"KERNIA_RATE_LIMIT=false", // throughput runs: the limiter off on both sides
		"NODE_ENV=production",
		"CONFORMANCE_PLUGINS=bearer,multi-session",
	}
	cache := append([]string{"KERNIA_COOKIE_CACHE=compact", "KERNIA_MIGRATE=false"}, common...)
	// The Go server migrates the database first; Node's migration then finds it up to date.
	specs := []struct {
		name string
		env  []string
		argv []string
	}{
		{"go", common, []string{o.goBin}},
		{"node", common, []string{"node", o.nodeScript}},
		{"node-cluster", common, []string{"node", clusterScript(o.nodeScript)}},
		{"ceiling", common, []string{o.ceilingBin}},
		{"go-cache", cache, []string{o.goBin}},
		{"node-cache", cache, []string{"node", o.nodeScript}},
		{"node-cluster-cache", cache, []string{"node", clusterScript(o.nodeScript)}},
	}
	procs := map[string]*server{}
	defer func() {
		for _, s := range procs {
			s.stop()
		}
	}()
	for _, sp := range specs {
		s, err := start(sp.name, logDir, sp.env, sp.argv...)
		if err != nil {
			return err
		}
		procs[sp.name] = s
	}
	log.Printf("servers up (logs in %s); seeding %d users per role", logDir, o.users)

	readers, err := seed(procs["go"], "reader-"+runID, o.users)
	if err != nil {
		return err
	}
	signers, err := seed(procs["go"], "signer-"+runID, o.users)
	if err != nil {
		return err
	}
	// Each cache instance issues its own cookie cache; the ceiling reads the Go one.
	for _, side := range []string{"go", "node", "node-cluster"} {
		if err := cacheFrom(procs[side+"-cache"], side, readers); err != nil {
			return err
		}
	}
	for _, u := range readers {
		u.cache["ceiling"] = u.cache["go"]
	}

	var plugins *pluginSet
	if o.goPluginsBin != "" && wantsPlugins(o.only) {
		if plugins, err = startPlugins(o, logDir, runID, common, o.users); err != nil {
			return err
		}
		defer plugins.stop()
	}

	// The same names serve every set; the cookie-cache workload uses the cache instances, the
	// plugin workloads the plugin servers.
	sides := []string{"go", "node", "node-cluster", "ceiling"}
	sidesOf := func(w workload) []string {
		if w.plugin {
			return pluginSides
		}
		return sides
	}
	serverFor := func(w workload, side string) *server {
		if w.plugin {
			return plugins.server(side)
		}
		if w.cached && side != "ceiling" {
			s := *procs[side+"-cache"]
			s.name = side
			return &s
		}
		return procs[side]
	}
	ws := workloads(readers, signers, runID)
	if plugins != nil {
		ws = append(ws, plugins.workloads(runID)...)
	}
	measured := ws
	if o.only != "" {
		measured = nil
		for _, key := range strings.Split(o.only, ",") {
			i := slices.IndexFunc(ws, func(w workload) bool { return w.key == key })
			if i < 0 {
				return fmt.Errorf("-only: no workload %q (the plugin workloads need -go-plugins)", key)
			}
			measured = append(measured, ws[i])
		}
	}
	for _, w := range measured {
		if w.key == "verify-totp" && max(o.duration, o.warmup) > totpLifetime {
			return fmt.Errorf("verify-totp: a code is sure to be accepted for %v; -duration and -warmup must not be longer", totpLifetime)
		}
	}
	for _, w := range ws {
		for _, side := range sidesOf(w) {
			if err := verifyWorkload(serverFor(w, side), w); err != nil {
				return err
			}
		}
	}
	log.Printf("every server answers every workload correctly")

	res := results{
		Date:              time.Now().UTC().Format(time.RFC3339),
		Cores:             runtime.NumCPU(),
		Concurrency:       o.concurrency,
		ScryptConcurrency: o.scryptConcurrency,
		ClientConcurrency: o.clientConcurrency,
		FloodConcurrency:  o.flood,
		Duration:          o.duration.String(),
		Rounds:            o.rounds,
		Smoke:             o.smoke,
	}
	// Memory per connection first, on servers that have served only the seeding: the heap a
	// load leaves behind would blur the differences.
	if len(o.conns) > 0 {
		if res.Conns, err = measureConns([]*server{procs["go"], procs["node-cluster"], procs["node"]}, o.conns); err != nil {
			return err
		}
	}
	for _, w := range measured {
		l := load{concurrency: o.concurrency, warmup: o.warmup, duration: o.duration}
		if w.scrypt {
			l.concurrency = o.scryptConcurrency
		}
		if w.op != nil {
			l.concurrency = o.clientConcurrency
		}
		row, err := measure(w, sidesOf(w), serverFor, l, o.rounds)
		if err != nil {
			return err
		}
		for _, side := range sidesOf(w) {
			m := row.By[side]
			log.Printf("%-28s %-8s %9.0f req/s  p50 %7.2f ms  p99 %8.2f ms  rss %6.1f MiB  errors %d%s",
				w.title, side, m.RPS, m.P50ms, m.P99ms, m.PeakRSSMiB, m.Errors, providerNote(m))
		}
		if w.plugin {
			res.Plugins = append(res.Plugins, row)
		} else {
			res.Rows = append(res.Rows, row)
		}
	}

	if o.flood > 0 {
		signIn := byKey(ws, "sign-in")
		for _, side := range sides {
			f := flood(serverFor(signIn, side), signIn, int(o.flood), int(o.floodRequests))
			res.Flood = append(res.Flood, f)
			log.Printf("flood of %d sign-ins, %d at once, on %-8s: %d errors (%d 5xx), peak RSS %.1f MiB, p99 %.0f ms, %.1f s",
				f.Requests, o.flood, side, f.Errors, f.Server5xx, f.PeakRSSMiB, f.P99ms, f.Seconds)
		}
	}

	if len(o.growth) > 0 {
		growthSides := []string{"go", "node-cluster"}
		if o.smoke {
			growthSides = growthSides[:1]
		}
		if res.Growth, err = measureGrowth(dbURL, o.growth, ws, growthSides, serverFor, o); err != nil {
			return err
		}
	}

	if o.kerniaGen != "" {
		runs := 5
		if o.smoke {
			runs = 1
		}
		g, err := generationTimes(o.kerniaGen, runs)
		if err != nil {
			return err
		}
		res.Generation = g
		log.Printf("kernia-gen init %.0f ms, generate %.0f ms (median of %d)", g.InitMs, g.GenerateMs, g.Runs)
	}

	if o.smoke {
		// The smoke run's figures mean nothing; they are written to a temporary folder
		// only to exercise the report and the chart.
		dir, err := os.MkdirTemp("", "kernia-bench-smoke-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if err := res.write(dir); err != nil {
			return err
		}
		return res.smokeCheck(ws)
	}
	return res.write(o.out)
}

// counts parses a comma-separated list of ascending positive numbers; "" is none.
func counts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 || (len(out) > 0 && n <= out[len(out)-1]) {
			return nil, fmt.Errorf("%q is not a list of ascending positive numbers", s)
		}
		out = append(out, n)
	}
	return out, nil
}
