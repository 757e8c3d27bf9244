package replay_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/internal/replay"
)

// The whole report of a replay, every field: who acted (each way a record names its principal),
// matches counted once per rule however many of its filters match, datapoints of each statistic
// (DefaultValue included), ALARM periods and episodes with their values and peaks, top lists cut
// at --top with ties in value order, and the skipped records listed in input order.
func TestWholeReport(t *testing.T) {
	dir := t.TempDir()
	rec := func(at, name, ui, ip string) string {
		s := `{"eventVersion":"1.08","eventTime":"2024-05-01T` + at + `Z","eventSource":"ec2.amazonaws.com"`
		if name != "" {
			s += `,"eventName":"` + name + `"`
		}
		if ui != "" {
			s += `,"userIdentity":` + ui
		}
		if ip != "" {
			s += `,"sourceIPAddress":"` + ip + `"`
		}
		return s + "}"
	}
	write(t, filepath.Join(dir, "a.jsonl"), []byte(strings.Join([]string{
		rec("12:00:10", "CreateVpc", `{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","userName":"alice"}`, "192.0.2.1"),
		rec("12:01:00", "CreateVpc", `{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}`, "ec2.amazonaws.com"),
		rec("12:04:59", "DeleteVpc", `{"type":"IAMUser","userName":"bob","principalId":"AIDAB","accountId":"111122223333"}`, "192.0.2.2"),
		rec("12:05:00", "RunInstances", `{"type":"AssumedRole","principalId":"AROAX:session","accountId":"111122223333"}`, "198.51.100.1"),
		`{not json`,
		rec("12:12:00", "CreateVpc", `{"type":"Root","accountId":"111122223333"}`, "198.51.100.1"),
		`{"eventVersion":"1.08","eventName":"CreateVpc","eventSource":"ec2.amazonaws.com"}`,
		rec("12:13:00", "DescribeVpcs", `{"userName":"carol"}`, "198.51.100.1"),
		rec("12:14:00", "CreateVpc", `{"type":"AWSService"}`, "198.51.100.2"),
	}, "\n")+"\n"))
	write(t, filepath.Join(dir, "b.json"), []byte(s3File(
		rec("12:20:00", "", "", ""),
		rec("12:21:00", "DescribeVpcs", `"someone"`, "198.51.100.2"),
		rec("11:58:00", "CreateVpc", `{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"}`, "192.0.2.1"),
	)))
	vpc := replay.Rule{ID: "Vpc", Namespace: "N", MetricName: "Vpc", Filters: []replay.Filter{
		{Name: "vpc", Pattern: `{ $.eventName = CreateVpc || $.eventName = DeleteVpc }`, Value: 1},
		{Name: "ip", Pattern: `{ $.sourceIPAddress = "192.0.2.*" }`, Value: 10},
	}, Alarm: &replay.Alarm{Name: "VpcAlarm", Threshold: 10, Comparison: replay.GreaterOrEqual, Statistic: replay.Sum,
		Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: replay.NotBreaching}}
	zero := 0.0
	share := replay.Rule{ID: "CreateShare", Namespace: "N", MetricName: "Share", Filters: []replay.Filter{
		{Name: "create", Pattern: `{ $.eventName = CreateVpc }`, Value: 1, Default: &zero},
	}, Alarm: &replay.Alarm{Name: "ShareAlarm", Threshold: 0.5, Comparison: replay.Less, Statistic: replay.Average,
		Period: 600, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: replay.Breaching}}
	runs := replay.Rule{ID: "Runs", Namespace: "N", MetricName: "Runs", Filters: []replay.Filter{
		{Name: "run", Pattern: `{ $.eventName = RunInstances }`, Value: 1},
	}}
	described := replay.Rule{ID: "Described", Namespace: "N", MetricName: "Described", Filters: []replay.Filter{
		{Name: "described", Pattern: `{ $.eventName NOT EXISTS || $.eventName = DescribeVpcs }`, Value: 1},
	}, Alarm: &replay.Alarm{Name: "DescribedAlarm", Threshold: 2, Comparison: replay.GreaterOrEqual, Statistic: replay.SampleCount,
		Period: 60, EvaluationPeriods: 2, DatapointsToAlarm: 2, TreatMissingData: replay.Breaching}}
	rep, err := replay.Run(replay.Options{Rules: []replay.Rule{vpc, share, runs, described}, Inputs: []string{dir}, TopN: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	rep.Totals.BytesRead = 0 // the bytes of the files as written; pinned by TestBytesReadAreTheFilesSizes
	got, err := json.MarshalIndent(rep, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(wholeReport, "DIR", dir)
	if string(got) != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
}

const wholeReport = `{
 "schema": "trailwatch.replay/v1",
 "totals": {
  "files_read": 2,
  "bytes_read": 0,
  "records_read": 10,
  "records_skipped": 2,
  "skipped_by_reason": {
   "bad_json": 1,
   "no_event_time": 1
  },
  "skipped": [
   {
    "file": "DIR/a.jsonl",
    "line": 5,
    "reason": "bad_json",
    "detail": "line is not one JSON value"
   },
   {
    "file": "DIR/a.jsonl",
    "line": 7,
    "reason": "no_event_time",
    "detail": "record has no valid eventTime (an RFC 3339 time with a real date, 1970 to 9998)"
   }
  ],
  "ignored_count": 0,
  "ignored": [],
  "first_event": "2024-05-01T11:58:00Z",
  "last_event": "2024-05-01T12:21:00Z"
 },
 "alarms": [
  {
   "id": "Vpc",
   "metric_name": "Vpc",
   "namespace": "N",
   "filters": [
    {
     "name": "vpc",
     "pattern": "{ $.eventName = CreateVpc || $.eventName = DeleteVpc }",
     "value": 1
    },
    {
     "name": "ip",
     "pattern": "{ $.sourceIPAddress = \"192.0.2.*\" }",
     "value": 10
    }
   ],
   "alarm": {
    "name": "VpcAlarm",
    "threshold": 10,
    "comparison": "GreaterThanOrEqualToThreshold",
    "statistic": "Sum",
    "period_seconds": 300,
    "evaluation_periods": 1,
    "datapoints_to_alarm": 1,
    "treat_missing_data": "notBreaching"
   },
   "matches": 6,
   "first_match": "2024-05-01T11:58:00Z",
   "last_match": "2024-05-01T12:14:00Z",
   "alarm_period_count": 2,
   "alarm_periods": [
    {
     "start": "2024-05-01T11:55:00Z",
     "end": "2024-05-01T12:00:00Z",
     "value": 11
    },
    {
     "start": "2024-05-01T12:00:00Z",
     "end": "2024-05-01T12:05:00Z",
     "value": 23
    }
   ],
   "alarm_periods_truncated": false,
   "episode_count": 1,
   "episodes": [
    {
     "start": "2024-05-01T11:55:00Z",
     "end": "2024-05-01T12:05:00Z",
     "periods": 2,
     "peak": 23
    }
   ],
   "top_principals": [
    {
     "value": "arn:aws:iam::111122223333:user/alice",
     "count": 2
    },
    {
     "value": "AWSService",
     "count": 1
    },
    {
     "value": "IAMUser:bob",
     "count": 1
    }
   ],
   "top_event_names": [
    {
     "value": "CreateVpc",
     "count": 5
    },
    {
     "value": "DeleteVpc",
     "count": 1
    }
   ],
   "top_source_ips": [
    {
     "value": "192.0.2.1",
     "count": 2
    },
    {
     "value": "192.0.2.2",
     "count": 1
    },
    {
     "value": "198.51.100.1",
     "count": 1
    }
   ],
   "top_count_error_bound": 0
  },
  {
   "id": "CreateShare",
   "metric_name": "Share",
   "namespace": "N",
   "filters": [
    {
     "name": "create",
     "pattern": "{ $.eventName = CreateVpc }",
     "value": 1,
     "default_value": 0
    }
   ],
   "alarm": {
    "name": "ShareAlarm",
    "threshold": 0.5,
    "comparison": "LessThanThreshold",
    "statistic": "Average",
    "period_seconds": 600,
    "evaluation_periods": 1,
    "datapoints_to_alarm": 1,
    "treat_missing_data": "breaching"
   },
   "matches": 5,
   "first_match": "2024-05-01T11:58:00Z",
   "last_match": "2024-05-01T12:14:00Z",
   "alarm_period_count": 1,
   "alarm_periods": [
    {
     "start": "2024-05-01T12:20:00Z",
     "end": "2024-05-01T12:30:00Z",
     "value": 0
    }
   ],
   "alarm_periods_truncated": false,
   "episode_count": 1,
   "episodes": [
    {
     "start": "2024-05-01T12:20:00Z",
     "end": "2024-05-01T12:30:00Z",
     "periods": 1,
     "peak": 0
    }
   ],
   "top_principals": [
    {
     "value": "arn:aws:iam::111122223333:user/alice",
     "count": 2
    },
    {
     "value": "AWSService",
     "count": 1
    },
    {
     "value": "Root:111122223333",
     "count": 1
    }
   ],
   "top_event_names": [
    {
     "value": "CreateVpc",
     "count": 5
    }
   ],
   "top_source_ips": [
    {
     "value": "192.0.2.1",
     "count": 2
    },
    {
     "value": "198.51.100.1",
     "count": 1
    },
    {
     "value": "198.51.100.2",
     "count": 1
    }
   ],
   "top_count_error_bound": 0
  },
  {
   "id": "Runs",
   "metric_name": "Runs",
   "namespace": "N",
   "filters": [
    {
     "name": "run",
     "pattern": "{ $.eventName = RunInstances }",
     "value": 1
    }
   ],
   "alarm": null,
   "matches": 1,
   "first_match": "2024-05-01T12:05:00Z",
   "last_match": "2024-05-01T12:05:00Z",
   "alarm_period_count": 0,
   "alarm_periods": [],
   "alarm_periods_truncated": false,
   "episode_count": 0,
   "episodes": [],
   "top_principals": [
    {
     "value": "AssumedRole:AROAX:session",
     "count": 1
    }
   ],
   "top_event_names": [
    {
     "value": "RunInstances",
     "count": 1
    }
   ],
   "top_source_ips": [
    {
     "value": "198.51.100.1",
     "count": 1
    }
   ],
   "top_count_error_bound": 0
  },
  {
   "id": "Described",
   "metric_name": "Described",
   "namespace": "N",
   "filters": [
    {
     "name": "described",
     "pattern": "{ $.eventName NOT EXISTS || $.eventName = DescribeVpcs }",
     "value": 1
    }
   ],
   "alarm": {
    "name": "DescribedAlarm",
    "threshold": 2,
    "comparison": "GreaterThanOrEqualToThreshold",
    "statistic": "SampleCount",
    "period_seconds": 60,
    "evaluation_periods": 2,
    "datapoints_to_alarm": 2,
    "treat_missing_data": "breaching"
   },
   "matches": 3,
   "first_match": "2024-05-01T12:13:00Z",
   "last_match": "2024-05-01T12:21:00Z",
   "alarm_period_count": 20,
   "alarm_periods": [
    {
     "start": "2024-05-01T11:58:00Z",
     "end": "2024-05-01T11:59:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T11:59:00Z",
     "end": "2024-05-01T12:00:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:00:00Z",
     "end": "2024-05-01T12:01:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:01:00Z",
     "end": "2024-05-01T12:02:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:02:00Z",
     "end": "2024-05-01T12:03:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:03:00Z",
     "end": "2024-05-01T12:04:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:04:00Z",
     "end": "2024-05-01T12:05:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:05:00Z",
     "end": "2024-05-01T12:06:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:06:00Z",
     "end": "2024-05-01T12:07:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:07:00Z",
     "end": "2024-05-01T12:08:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:08:00Z",
     "end": "2024-05-01T12:09:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:09:00Z",
     "end": "2024-05-01T12:10:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:10:00Z",
     "end": "2024-05-01T12:11:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:11:00Z",
     "end": "2024-05-01T12:12:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:12:00Z",
     "end": "2024-05-01T12:13:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:15:00Z",
     "end": "2024-05-01T12:16:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:16:00Z",
     "end": "2024-05-01T12:17:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:17:00Z",
     "end": "2024-05-01T12:18:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:18:00Z",
     "end": "2024-05-01T12:19:00Z",
     "value": null
    },
    {
     "start": "2024-05-01T12:19:00Z",
     "end": "2024-05-01T12:20:00Z",
     "value": null
    }
   ],
   "alarm_periods_truncated": false,
   "episode_count": 2,
   "episodes": [
    {
     "start": "2024-05-01T11:58:00Z",
     "end": "2024-05-01T12:13:00Z",
     "periods": 15,
     "peak": null
    },
    {
     "start": "2024-05-01T12:15:00Z",
     "end": "2024-05-01T12:20:00Z",
     "periods": 5,
     "peak": null
    }
   ],
   "top_principals": [
    {
     "value": "(no userIdentity)",
     "count": 2
    },
    {
     "value": "unknown:carol",
     "count": 1
    }
   ],
   "top_event_names": [
    {
     "value": "DescribeVpcs",
     "count": 2
    },
    {
     "value": "(none)",
     "count": 1
    }
   ],
   "top_source_ips": [
    {
     "value": "(none)",
     "count": 1
    },
    {
     "value": "198.51.100.1",
     "count": 1
    },
    {
     "value": "198.51.100.2",
     "count": 1
    }
   ],
   "top_count_error_bound": 0
  }
 ]
}`
