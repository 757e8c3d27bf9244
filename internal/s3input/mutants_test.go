package s3input

import (
	"slices"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/s3input/s3test"
)

// Tests that pin behaviour found by tools/mutate (a planted bug survived the suite before).

// Without Until, the range ends at Selection.Now (the clock): a later day is not listed.
func TestListsUpToNowWithoutUntil(t *testing.T) {
	_, client, objs := fakeBucket(t)
	now := func() time.Time { return time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC) }
	keys, err := list(t, client, "s3://"+bucket+"/AWSLogs/111111111111/", Selection{Since: time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	folders := []string{"AWSLogs/111111111111/CloudTrail/"}
	if w := want(objs, folders, s3test.Default().Regions, "2024/03/04"); !slices.Equal(keys, w) || len(w) == 0 {
		t.Errorf("listed %v\nwant %v", keys, w)
	}
}

// A prefix naming an account that the one selected account is not lists nothing.
func TestListsNothingForAnAccountNotSelected(t *testing.T) {
	srv, client, _ := fakeBucket(t)
	keys, err := list(t, client, "s3://"+bucket+"/AWSLogs/111111111111/", Selection{Accounts: []string{"333333333333"}})
	if err != nil || len(keys) != 0 || len(srv.Lists()) != 0 {
		t.Errorf("listed %v (err %v) in %d calls, want nothing", keys, err, len(srv.Lists()))
	}
}
