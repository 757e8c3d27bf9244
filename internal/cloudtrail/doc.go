// Package cloudtrail reads CloudTrail records out of every shape they are saved in, sniffed from
// the content: S3 log files (gzip or not), `aws cloudtrail lookup-events` pages, the console's
// Event history JSON and CSV downloads, JSON lines of records or of EventBridge events. It is the
// one reader and the one directory walk both `trailwatch match` and `trailwatch replay` use, so
// they accept the same inputs and find the same records.
//
//   - read.go is the API: a Reader and the Handler it reports records, problems and ignored
//     inputs to, located by file, line and array index (location.go); inputs.go is the
//     directory walk both commands expand their arguments with (symlinks followed, each file
//     read once, known by device and inode: filekey_*.go);
//   - decode.go, classify.go and csv.go sniff each input's shape and split it into records,
//     streaming S3 log files through a bounded window (window.go);
//   - jsonscan.go finds where JSON values end without building them; replay's hot path reuses
//     its Lookup and StringValue.
package cloudtrail
