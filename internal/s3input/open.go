package s3input

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// Open starts reading one object. The error says why in one line, with S3's error code
// (AccessDenied, NoSuchKey, ...).
func Open(ctx context.Context, api API, bucket, key string) (io.ReadCloser, error) {
	out, err := api.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("GetObject: %s", Explain(err))
	}
	return out.Body, nil
}

// Explain turns an SDK error (several lines of operation, request ID and host ID) into S3's error
// code and message, the HTTP status, and a hint for the usual causes.
func Explain(err error) string {
	var api smithy.APIError
	var resp *awshttp.ResponseError
	status := 0
	if errors.As(err, &resp) {
		status = resp.HTTPStatusCode()
	}
	msg := err.Error()
	if errors.As(err, &api) {
		msg = api.ErrorCode()
		if m := api.ErrorMessage(); m != "" {
			msg += ": " + m
		}
	}
	if status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", status)
	}
	switch {
	case status == http.StatusForbidden:
		msg += "; needs s3:ListBucket and s3:GetObject on the bucket (and kms:Decrypt for SSE-KMS log files)"
	case status == http.StatusMovedPermanently:
		msg += "; the bucket is in another Region: give it with --region"
	}
	return msg
}
