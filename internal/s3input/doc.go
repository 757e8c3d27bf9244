// Package s3input lists and opens the CloudTrail log files of a trail's S3 bucket, for
// `trailwatch replay s3://BUCKET/[PREFIX]`. It lists only the key prefixes of the AWSLogs layout
// that a time range, accounts and Regions allow, so a three-day replay of a five-year bucket lists
// three days, not five years:
//
//	[PREFIX/]AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/      (a trail of one account)
//	[PREFIX/]AWSLogs/o-ORGID/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ (an organization trail)
//
// The layout is AWS's ("Finding your CloudTrail log files", CloudTrail user guide). Digest files
// (CloudTrail-Digest/) and CloudTrail Insights files are siblings of CloudTrail/ and are never
// listed. Objects are read by internal/cloudtrail like local files; this package only finds and
// opens them.
//
//   - url.go parses s3:// URLs and places the prefix in the layout;
//   - list.go walks the layout with ListObjectsV2 (delimiter "/" to discover accounts and Regions
//     that are not given, one listing per day of the range);
//   - open.go opens an object with GetObject and turns S3 errors into one-line reasons.
package s3input
