package test

import (
	"testing"

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
		cfg, err := config.Parse(ctx, pinnedEnv)
		if err != nil {
			b.Fatal(err)
		}
		app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx, Outdir: jsii.String(b.TempDir())})
		if _, err := stacks.Build(app, config.Target{Name: stacks.AuditStackID, Config: cfg}); err != nil {
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
