// Command trailwatch-app is the CDK app: `cdk synth` and `cdk deploy` run it (see cdk.json).
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/trailwatch/trailwatch/internal/config"
	"github.com/trailwatch/trailwatch/stacks"
)

func main() {
	code := run(os.Getenv, os.Stderr)
	jsii.Close()
	os.Exit(code)
}

// run reads the configuration (the CDK context, and the targets file it may name) and synthesizes
// only if all of it is valid: a bad value stops here with one line per problem on stderr, before
// anything reaches cdk.out.
func run(getenv func(string) string, stderr io.Writer) int {
	app := awscdk.NewApp(nil)
	defer stacks.RemoveNotifyBuild() // the asset is staged in cdk.out by Synth
	context, _ := app.Node().GetAllContext(nil).(map[string]any)
	targets, err := config.Load(context, getenv)
	if err == nil {
		_, err = stacks.BuildAll(app, targets)
	}
	if err != nil {
		for _, p := range config.Problems(err) {
			fmt.Fprintf(stderr, "trailwatch: %s\n", p)
		}
		return 1
	}
	app.Synth(nil)
	return 0
}
