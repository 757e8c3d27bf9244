// Command count parses every row of a real-world corpus file (testdata/realworld/patterns.jsonl)
// and prints how many parse, to compare engines: run it in a checkout of any commit
// (SEMANTICS.md, "Real-world pattern corpus", has the commands).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/trailwatch/trailwatch/pkg/filterpattern"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	var rows, ok, dep, depOK int
	for sc.Scan() {
		var r struct {
			Pattern  string `json:"pattern"`
			Deployed bool   `json:"deployed"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			panic(err)
		}
		_, perr := filterpattern.Parse(r.Pattern)
		rows++
		if r.Deployed {
			dep++
		}
		if perr == nil {
			ok++
			if r.Deployed {
				depOK++
			}
		} else if r.Deployed {
			fmt.Printf("deployed, rejected: %v: %q\n", perr, r.Pattern)
		}
	}
	fmt.Printf("%d of %d rows parse; deployed: %d of %d\n", ok, rows, depOK, dep)
}
