package notify

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// Environment variables the function reads; the stack sets them.
const (
	EnvLogGroup    = "TRAILWATCH_LOG_GROUP"
	EnvTopicARN    = "TRAILWATCH_TOPIC_ARN"
	EnvLanguage    = "TRAILWATCH_LANGUAGE"
	EnvEnvironment = "TRAILWATCH_ENVIRONMENT"
)

// ConfigFromEnv reads the function's configuration. Every problem is reported at once.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		LogGroup:    getenv(EnvLogGroup),
		TopicARN:    getenv(EnvTopicARN),
		Language:    getenv(EnvLanguage),
		Environment: getenv(EnvEnvironment),
	}
	var errs []error
	if c.LogGroup == "" {
		errs = append(errs, fmt.Errorf("%s is empty; set it to the trail's log group name", EnvLogGroup))
	}
	if !strings.HasPrefix(c.TopicARN, "arn:") || strings.Count(c.TopicARN, ":") != 5 {
		errs = append(errs, fmt.Errorf("%s is %q; set it to the email topic's ARN", EnvTopicARN, c.TopicARN))
	}
	codes := catalog.LanguageCodes()
	switch {
	case c.Language == "":
		c.Language = catalog.DefaultLanguage()
	case !slices.Contains(codes, c.Language):
		errs = append(errs, fmt.Errorf("%s is %q; allowed: %s", EnvLanguage, c.Language, strings.Join(codes, ", ")))
	}
	return c, errors.Join(errs...)
}
