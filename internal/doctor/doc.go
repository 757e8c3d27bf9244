// Package doctor implements `trailwatch doctor`: it asks an AWS account whether a deployed
// trailwatch stack works (the trail logs and delivers, the log group receives, every metric filter
// and alarm is in place, the topic's subscriptions are confirmed, the key rotates, the bucket is
// private), and, with --preflight, whether the account is ready for a first deploy.
//
// What the stack should have comes from its synthesized CloudFormation template (cdk.out), read as
// plain JSON: doctor links no CDK code. The checks themselves run on aws-sdk-go-v2 with the
// standard credential chain; docs/doctor.md lists each check and the IAM policy it needs
// (examples/doctor-iam-policy.json).
package doctor
