package doctor

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/smithy-go"
)

// Status is the outcome of one check.
type Status string

const (
	// OK: the account has what the check asks for.
	OK Status = "ok"
	// Fail: something is wrong; Fix says what to do.
	Fail Status = "fail"
	// Skip: the check does not apply (e.g. no trail in alarms-only mode).
	Skip Status = "skip"
)

// Result is one line of the checklist.
type Result struct {
	// Check names the check, e.g. "trail.logging"; docs/doctor.md lists them.
	Check string `json:"check"`
	// Subject is what was checked: a trail, alarm or address.
	Subject string `json:"subject,omitempty"`
	Status  Status `json:"status"`
	// Detail says what doctor saw.
	Detail string `json:"detail"`
	// Fix says what to do, for a failed check.
	Fix string `json:"fix,omitempty"`
	// Disagreements are the records --test-patterns found AWS, the engine or the proof at odds on.
	Disagreements []Disagreement `json:"disagreements,omitempty"`
}

// Report is everything one doctor run found.
type Report struct {
	Account  string   `json:"account"`
	Region   string   `json:"region"`
	Stack    string   `json:"stack,omitempty"`
	Template string   `json:"template,omitempty"`
	Mode     string   `json:"mode"`
	Results  []Result `json:"results"`
}

func (r *Report) add(res ...Result) { r.Results = append(r.Results, res...) }

// Failed counts the failed checks.
func (r *Report) Failed() int {
	n := 0
	for _, res := range r.Results {
		if res.Status == Fail {
			n++
		}
	}
	return n
}

func ok(check, subject, detail string) Result {
	return Result{Check: check, Subject: subject, Status: OK, Detail: detail}
}

func fail(check, subject, detail, fix string) Result {
	return Result{Check: check, Subject: subject, Status: Fail, Detail: detail, Fix: fix}
}

func skip(check, subject, detail string) Result {
	return Result{Check: check, Subject: subject, Status: Skip, Detail: detail}
}

// apiFail reports a failed API call. action is the IAM action the call needs.
func apiFail(check, subject, action string, err error) Result {
	code := errorCode(err)
	fix := "rerun doctor; if it persists, check the Region and network access to the AWS endpoints"
	if isAccessDenied(code) {
		fix = fmt.Sprintf("allow %s to the identity doctor runs as (examples/doctor-iam-policy.json has every action doctor uses)", action)
	}
	return fail(check, subject, fmt.Sprintf("%s failed: %s", action, oneLine(err)), fix)
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func isAccessDenied(code string) bool {
	switch code {
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError", "AuthorizationErrorException":
		return true
	}
	return false
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func (r *Report) writeText(w io.Writer) {
	fmt.Fprintf(w, "trailwatch doctor %s: account %s, Region %s", r.Mode, r.Account, r.Region)
	if r.Stack != "" {
		fmt.Fprintf(w, ", stack %s", r.Stack)
	}
	if r.Template != "" {
		fmt.Fprintf(w, " (%s)", r.Template)
	}
	fmt.Fprintln(w)
	for _, res := range r.Results {
		mark := map[Status]string{OK: "✓", Fail: "✗", Skip: "-"}[res.Status]
		subject := ""
		if res.Subject != "" {
			subject = " " + res.Subject
		}
		fmt.Fprintf(w, "%s %s%s: %s\n", mark, res.Check, subject, res.Detail)
		for _, d := range res.Disagreements {
			fmt.Fprintf(w, "    %s\n", d)
		}
		if res.Fix != "" {
			fmt.Fprintf(w, "    fix: %s\n", res.Fix)
		}
	}
	if n := r.Failed(); n > 0 {
		fmt.Fprintf(w, "%d of %d checks failed\n", n, len(r.Results))
	} else {
		fmt.Fprintf(w, "all %d checks passed\n", len(r.Results))
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
