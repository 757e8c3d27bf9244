package awstest

import (
	"fmt"
	"io"
	"net"
)

// ClosedAtEnd wraps a response body so that reading it ends as a connection Go's transport
// closed under it: every byte arrives, then net.ErrClosed instead of io.EOF. The SDK retries
// that; tests use it to make the retry OncePerCall exists for happen on purpose.
func ClosedAtEnd(body io.ReadCloser) io.ReadCloser { return closedAtEnd{body} }

type closedAtEnd struct{ io.ReadCloser }

func (c closedAtEnd) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	if err == io.EOF {
		err = fmt.Errorf("read tcp 127.0.0.1:1->127.0.0.1:2: %w", net.ErrClosed)
	}
	return n, err
}
