package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"
)

// generation is how long kernia-gen takes, as medians over several runs.
type generation struct {
	Runs       int     `json:"runs"`
	InitMs     float64 `json:"init_ms"`
	GenerateMs float64 `json:"generate_ms"`
}

// generationTimes times `kernia-gen init --server` in new modules and `kernia-gen generate`
// on the last of them (a warm tree: nothing to change).
func generationTimes(kerniaGen string, runs int) (*generation, error) {
	root, err := os.MkdirTemp("", "kernia-bench-gen-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	var inits, gens []time.Duration
	var dir string
	for i := range runs {
		dir = filepath.Join(root, fmt.Sprint(i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/app\n\ngo 1.24\n"), 0o644); err != nil {
			return nil, err
		}
		d, err := timed(dir, kerniaGen, "init", "--server")
		if err != nil {
			return nil, err
		}
		inits = append(inits, d)
	}
	for range runs {
		d, err := timed(dir, kerniaGen, "generate")
		if err != nil {
			return nil, err
		}
		gens = append(gens, d)
	}
	return &generation{Runs: runs, InitMs: ms(median(inits)), GenerateMs: ms(median(gens))}, nil
}

func timed(dir string, argv ...string) (time.Duration, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	t := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%v in %s: %w\n%s", argv, dir, err, out)
	}
	return time.Since(t), nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
