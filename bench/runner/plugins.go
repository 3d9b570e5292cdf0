package main

import (
	"fmt"
	"log"
	"slices"
	"strings"
)

// The plugin workloads run on servers of their own: a Go server emitted with the two-factor,
// passkey and social (Google) plugins, and Node Better Auth, one process and a cluster, with
// the same plugins, on a second database. The core workloads' servers stay as they are, so
// the plugins' columns, routes and hooks change none of the core figures. There is no
// ceiling for these.

// pluginSides are the servers the plugin workloads run on.
var pluginSides = []string{"go", "node-cluster", "node"}

// pluginKeys are the keys of the plugin workloads, for -only.
var pluginKeys = []string{"verify-totp", "passkey-sign-in", "social-sign-in"}

// wantsPlugins reports whether the run measures a plugin workload (-only, "" for all).
func wantsPlugins(only string) bool {
	return only == "" || slices.ContainsFunc(strings.Split(only, ","), func(k string) bool { return slices.Contains(pluginKeys, k) })
}

// pluginSet is the plugin servers by side, the identity provider, and the seeded users.
type pluginSet struct {
	servers               map[string]*server
	idp                   *idp
	totpUsers, passkeyers []*user
	people                int // persons of the provider, each signed in once already
}

func (p *pluginSet) stop() {
	for _, s := range p.servers {
		s.stop()
	}
	if p.idp != nil {
		p.idp.stop()
	}
}

// startPlugins starts the identity provider and the plugin servers on their own database
// (the Go server first: it migrates it), and seeds n users for each workload on the Go
// server. common is the core servers' environment; its DATABASE_URL and plugins are replaced.
func startPlugins(o options, logDir, runID string, common []string, n int) (*pluginSet, error) {
	dbURL, err := freshDatabase(o.adminURL, "kernia_bench_plugins")
	if err != nil {
		return nil, err
	}
	p := &pluginSet{servers: map[string]*server{}}
	if p.idp, err = startIdP(o.idpScript, logDir); err != nil {
		return nil, err
	}
	env := slices.DeleteFunc(slices.Clone(common), func(kv string) bool {
		return strings.HasPrefix(kv, "DATABASE_URL=") || strings.HasPrefix(kv, "CONFORMANCE_PLUGINS=")
	})
	env = append(append(env, "DATABASE_URL="+dbURL, "CONFORMANCE_PLUGINS=two-factor,passkey"), p.idp.googleEnv()...)
	for _, sp := range []struct{ side, name string }{{"go", o.goPluginsBin}, {"node", o.nodeScript}, {"node-cluster", clusterScript(o.nodeScript)}} {
		argv := []string{sp.name}
		if sp.side != "go" {
			argv = []string{"node", sp.name}
		}
		s, err := start(sp.side+"-plugins", logDir, env, argv...)
		if err != nil {
			p.stop()
			return nil, err
		}
		p.servers[sp.side] = s
	}
	if err := p.seed(runID, n); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

// seed signs up users with TOTP enrolled and users with a passkey, and signs each of the
// provider's persons in once, so that the social workload measures sign-ins of known users.
func (p *pluginSet) seed(runID string, n int) error {
	s := p.servers["go"]
	var err error
	if p.totpUsers, err = seed(s, "totp-"+runID, n); err != nil {
		return err
	}
	if err := enrolTOTP(s, p.totpUsers); err != nil {
		return err
	}
	if p.passkeyers, err = seed(s, "passkey-"+runID, n); err != nil {
		return err
	}
	if err := registerPasskeys(s, p.passkeyers); err != nil {
		return err
	}
	p.people = n
	signIn := socialSignIn(p.idp, runID, n)
	client := newClient(1)
	defer client.CloseIdleConnections()
	for i := range n {
		if _, err := signIn(client, s, i); err != nil {
			return fmt.Errorf("signing %s in on %s: %w", socialEmail(runID, i), s.name, err)
		}
	}
	log.Printf("plugin servers up; %d users each with TOTP, with a passkey, and with Google", n)
	return nil
}

// workloads are the plugin workloads over the seeded users.
func (p *pluginSet) workloads(runID string) []workload {
	return []workload{
		{
			key: "verify-totp", title: "two-factor verify-totp", plugin: true,
			requests: totpRequests(p.totpUsers),
			check:    totpVerified(p.totpUsers[0]),
		},
		{key: "passkey-sign-in", title: "passkey sign-in", plugin: true, op: passkeySignIn(p.passkeyers)},
		{key: "social-sign-in", title: "social sign-in (Google, local IdP)", plugin: true, op: socialSignIn(p.idp, runID, p.people), provider: p.idp},
	}
}

// server is the plugin server of side, named as the side (wrk's requests are by side).
func (p *pluginSet) server(side string) *server {
	s := *p.servers[side]
	s.name = side
	return &s
}
