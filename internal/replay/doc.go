// Package replay runs CloudWatch metric filters and alarms over CloudTrail history offline and
// reports what each alarm would have done: matching records, the periods it would have spent in
// ALARM, its episodes (one notification each) and who was behind the matches.
//
// The pipeline, in the order data flows:
//
//   - inputs.go lists files with cloudtrail.ListInputs (directories recursively); package cloudtrail's Reader sniffs each
//     input's shape from its content and splits it into records, streaming S3 log files;
//   - batch.go carries records in a fixed pool of buffers to the workers (worker.go), which read
//     each record's eventTime and match it against every pattern with one filterpattern.Set,
//     compiled once and shared by all workers;
//   - aggregate.go folds matches into per-period counts and bounded top-N counters (topn.go);
//   - evaluate.go turns counts into datapoints and alarm states, report.go into the Report.
package replay
