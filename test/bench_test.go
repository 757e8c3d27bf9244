package test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/stacks"
)

// BenchmarkSynthDefault measures a full synthesis of the default stack to a cloud assembly, as
// `cdk synth` does after the Go build: config parse, construct tree, template and manifest files.
// Run: bench/synth.sh (median of 10), or go test -run '^$' -bench SynthDefault ./test/
func BenchmarkSynthDefault(b *testing.B) {
	ctx := cliContext(b, map[string]any{"notificationEmails": "ops@example.com"})
	synthOnce := func() {
		target, err := config.Parse(ctx, pinnedEnv)
		if err != nil {
			b.Fatal(err)
		}
		app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(b.TempDir())})
		target.Name = stacks.AuditStackID
		if _, err := stacks.Build(app, target); err != nil {
			b.Fatal(err)
		}
		app.Synth(nil)
	}
	// The first synth starts node and loads aws-cdk-lib (seconds); `cdk synth` pays that once too,
	// but it is not what changes with our code, so it stays out of the timing.
	synthOnce()
	for b.Loop() {
		synthOnce()
	}
}

// BenchmarkSynthTargets measures the synthesis of a targets file with 1 and with 50 targets (all
// AWS's ten alarms), to give the cost of each extra stack on top of the base synth:
// go test -run '^$' -bench SynthTargets -benchtime 3x ./test/  (or bench/targets.sh)
func BenchmarkSynthTargets(b *testing.B) {
	var base float64
	for _, n := range []int{1, 50} {
		b.Run(fmt.Sprintf("targets=%d", n), func(b *testing.B) {
			var sb strings.Builder
			sb.WriteString("defaults: {notificationEmails: ops@example.com}\ntargets:\n")
			for i := 0; i < n; i++ {
				fmt.Fprintf(&sb, "  - {account: \"%012d\", region: us-east-1}\n", 100000000000+i)
			}
			path := filepath.Join(b.TempDir(), "targets.yaml")
			if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
				b.Fatal(err)
			}
			ctx := cliContext(b, map[string]any{"targetsFile": path})
			synthAll := func() {
				targets, err := config.Load(ctx, pinnedEnv)
				if err != nil {
					b.Fatal(err)
				}
				app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(b.TempDir())})
				if _, err := stacks.BuildAll(app, targets); err != nil {
					b.Fatal(err)
				}
				app.Synth(nil)
			}
			synthAll() // warm: node is started and aws-cdk-lib loaded once per process, as in `cdk synth`
			start := time.Now()
			for b.Loop() {
				synthAll()
			}
			perOp := float64(time.Since(start).Nanoseconds()) / float64(b.N)
			if n == 1 {
				base = perOp
			} else if base > 0 {
				b.ReportMetric((perOp-base)/float64(n-1)/1e6, "ms/extra-stack")
			}
		})
	}
}
