package main

import (
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// chart draws each workload's throughput relative to Node Better Auth's cluster (one worker
// per core = 1), one bar per server, with the absolute req/s written above each bar.
func (r results) chart(path string) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Throughput relative to Node Better Auth, one worker per core (%d cores, %d connections)", r.Cores, r.Concurrency)
	p.Y.Label.Text = "× Node cluster's req/s"
	p.Legend.Top = true
	p.Legend.Left = true

	sides := []struct {
		key   string
		color color.RGBA
	}{
		{"go", color.RGBA{0x00, 0x7d, 0x9c, 0xff}},           // Go's blue
		{"node-cluster", color.RGBA{0x6c, 0xa0, 0x3c, 0xff}}, // Node's green
		{"node", color.RGBA{0xb5, 0xd3, 0x8f, 0xff}},         // lighter: one process
		{"ceiling", color.RGBA{0x99, 0x99, 0x99, 0xff}},
	}
	width := vg.Points(22)
	names := make([]string, len(r.Rows))
	for i, w := range r.Rows {
		names[i] = w.Title
	}
	for i, side := range sides {
		values := make(plotter.Values, len(r.Rows))
		labels := plotter.XYLabels{}
		for j, w := range r.Rows {
			values[j] = ratio(w.By[side.key].RPS, w.By["node-cluster"].RPS)
			labels.XYs = append(labels.XYs, plotter.XY{X: float64(j), Y: values[j]})
			labels.Labels = append(labels.Labels, fmt.Sprintf("%.0f", w.By[side.key].RPS))
		}
		bars, err := plotter.NewBarChart(values, width)
		if err != nil {
			return err
		}
		bars.Color = side.color
		bars.LineStyle.Width = 0
		bars.Offset = (vg.Length(i) - 1.5) * width
		p.Add(bars)
		p.Legend.Add(label(side.key), bars)

		l, err := plotter.NewLabels(labels)
		if err != nil {
			return err
		}
		for k := range l.TextStyle {
			l.TextStyle[k].Font.Size = vg.Points(7)
			l.TextStyle[k].XAlign = -0.5
			l.TextStyle[k].YAlign = 0
		}
		l.Offset = vg.Point{X: (vg.Length(i) - 1.5) * width, Y: vg.Points(2)}
		p.Add(l)
	}
	p.NominalX(names...)
	p.Add(plotter.NewGrid())
	return p.Save(30*vg.Centimeter, 14*vg.Centimeter, path)
}

// growthChart draws p50 and p99 latency against the number of sessions, one line per
// workload, server and percentile. Both scales are logarithmic: the latencies span two orders
// of magnitude (a get-session of a few milliseconds, a sign-in's scrypt of hundreds), and a
// flat line means a flat cost whatever its size. The top decade is left empty for the legend.
func (r results) growthChart(path string) error {
	p := plot.New()
	p.Title.Text = "Latency as the session table grows"
	p.X.Label.Text = "sessions (and users)"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Y.Label.Text = "ms"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Legend.Top = true
	p.Legend.Left = true
	series := map[string]plotter.XYs{}
	var order []string
	for _, g := range r.Growth {
		for _, pc := range []struct {
			name string
			ms   float64
		}{{"p50", g.P50ms}, {"p99", g.P99ms}} {
			key := fmt.Sprintf("%s, %s, %s", g.Workload, label(g.Server), pc.name)
			if _, ok := series[key]; !ok {
				order = append(order, key)
			}
			series[key] = append(series[key], plotter.XY{X: float64(g.Sessions), Y: pc.ms})
		}
	}
	for i, key := range order {
		line, points, err := plotter.NewLinePoints(series[key])
		if err != nil {
			return err
		}
		line.Color = plotutil.Color(i)
		points.Color = line.Color
		if strings.HasSuffix(key, "p99") {
			line.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
		}
		p.Add(line, points)
		p.Legend.Add(key, line, points)
	}
	p.Add(plotter.NewGrid())
	p.Y.Min, p.Y.Max = p.Y.Min/2, p.Y.Max*30
	return p.Save(24*vg.Centimeter, 16*vg.Centimeter, path)
}
