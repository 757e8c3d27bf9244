package s3input

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// API is what this package needs of an S3 client; *s3.Client has it.
type API interface {
	ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// Selection narrows what is listed. The zero Selection lists every log file.
type Selection struct {
	// Since and Until bound the time range [Since, Until) of the records wanted.
	// Default: - unbounded; Until defaults to Now when Since is set, so day folders can be generated.
	Since, Until time.Time
	// Accounts and Regions are listed without discovery when given.
	// Default: - every account and Region found under the prefix (a listing with delimiter "/").
	Accounts, Regions []string
	// PageSize is MaxKeys of each ListObjectsV2 call.
	// Default: - S3's own (1,000 keys).
	PageSize int32
	// Now is the clock for an open-ended range. Default: - time.Now.
	Now func() time.Time
}

// DeliverySlack is how long after a record's eventTime its log file is assumed delivered.
// CloudTrail files a log file under the day it delivers it (the file name's YYYYMMDDTHHmmZ), and
// "typically delivers logs within an average of about 5 minutes of an API call" (CloudTrail user
// guide, "How CloudTrail works"): records of the last minutes of a day land in the next day's
// folder. So the folders listed run from Since's day to the day of Until+DeliverySlack. Records
// are then filtered by eventTime, so extra files only cost reading time.
const DeliverySlack = time.Hour

// Object is one log file to read.
type Object struct {
	Key  string
	Size int64
}

// List calls fn for each log file under u that sel allows, in key order, and returns the first
// listing error (with what it was listing).
func List(ctx context.Context, api API, u URL, sel Selection, fn func(Object)) error {
	p, err := locate(u.Prefix)
	if err != nil {
		return err
	}
	l := &lister{ctx: ctx, api: api, bucket: u.Bucket, sel: sel, fn: fn}
	if !sel.Since.IsZero() {
		until := sel.Until
		if until.IsZero() {
			now := time.Now
			if sel.Now != nil {
				now = sel.Now
			}
			until = now()
		}
		l.first = day(sel.Since)
		l.last = day(until.Add(DeliverySlack))
	} else if !sel.Until.IsZero() {
		l.last = day(sel.Until.Add(DeliverySlack))
	}
	return l.walk(p)
}

// day is the UTC midnight starting t's day (days are whole multiples of 24 h since Go's zero time,
// which is a UTC midnight).
func day(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

type lister struct {
	ctx         context.Context
	api         API
	bucket      string
	sel         Selection
	fn          func(Object)
	first, last time.Time // day folders to list; zero: unbounded
}

// trail is one account's CloudTrail/ folder.
type trail struct{ org, account string }

func (l *lister) walk(p path) error {
	var trails []trail
	switch {
	case p.account != "":
		if len(l.sel.Accounts) > 0 && !slices.Contains(l.sel.Accounts, p.account) {
			return nil
		}
		trails = []trail{{p.org, p.account}}
	case p.org != "":
		accounts, err := l.accounts(p.root + p.org + "/")
		if err != nil {
			return err
		}
		for _, a := range accounts {
			trails = append(trails, trail{p.org, a})
		}
	default:
		top, err := l.children(p.root)
		if err != nil {
			return err
		}
		if len(top) == 0 {
			return fmt.Errorf("%s: no account or organization folders: is this the trail's bucket, and the prefix its S3 key prefix?", ObjectName(l.bucket, p.root))
		}
		for _, name := range top {
			switch {
			case orgID.MatchString(name):
				accounts, err := l.accounts(p.root + name + "/")
				if err != nil {
					return err
				}
				for _, a := range accounts {
					trails = append(trails, trail{name, a})
				}
			case accountID.MatchString(name) && l.wantAccount(name):
				trails = append(trails, trail{"", name})
			}
		}
	}
	for _, t := range trails {
		base := p.root
		if t.org != "" {
			base += t.org + "/"
		}
		base += t.account + "/CloudTrail/"
		regions := l.sel.Regions
		if p.region != "" {
			if len(regions) > 0 && !slices.Contains(regions, p.region) {
				continue
			}
			regions = []string{p.region}
		} else if len(regions) == 0 {
			var err error
			if regions, err = l.children(base); err != nil {
				return err
			}
		}
		for _, r := range regions {
			if err := l.region(base+r+"/", p.date); err != nil {
				return err
			}
		}
	}
	return nil
}

func (l *lister) wantAccount(a string) bool {
	return len(l.sel.Accounts) == 0 || slices.Contains(l.sel.Accounts, a)
}

// accounts are the member accounts found in an organization folder, less those not asked for.
// They are listed even when --accounts is given: one listing costs less than looking for every
// given account's Regions and days in an organization it may not belong to.
func (l *lister) accounts(orgPrefix string) ([]string, error) {
	names, err := l.children(orgPrefix)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(names, func(n string) bool { return !accountID.MatchString(n) || !l.wantAccount(n) }), nil
}

// region lists one Region's log files: one listing per day of the range, or the whole folder
// (filtered by day) when the range has no start.
func (l *lister) region(prefix string, date []string) error {
	fixed := ""
	if len(date) > 0 {
		fixed = strings.Join(date, "/") + "/"
	}
	if l.first.IsZero() {
		return l.objects(prefix+fixed, prefix)
	}
	for d := l.first; !d.After(l.last); d = d.AddDate(0, 0, 1) {
		folder := d.Format("2006/01/02") + "/"
		if strings.HasPrefix(folder, fixed) {
			if err := l.objects(prefix+folder, prefix); err != nil {
				return err
			}
		}
	}
	return nil
}

// objects lists every object under prefix. Keys whose day folder (after regionPrefix) is past
// the range's last day are left out; keys outside the layout are kept: their content decides.
func (l *lister) objects(prefix, regionPrefix string) error {
	pages := s3.NewListObjectsV2Paginator(l.api, &s3.ListObjectsV2Input{
		Bucket: aws.String(l.bucket), Prefix: aws.String(prefix),
	}, l.limit)
	for pages.HasMorePages() {
		page, err := pages.NextPage(l.ctx)
		if err != nil {
			return fmt.Errorf("listing %s: %s", ObjectName(l.bucket, prefix), Explain(err))
		}
		for _, o := range page.Contents {
			key := aws.ToString(o.Key)
			if strings.HasSuffix(key, "/") {
				continue // a folder marker made by the console
			}
			if !l.last.IsZero() {
				if d, ok := keyDay(strings.TrimPrefix(key, regionPrefix)); ok && d.After(l.last) {
					continue
				}
			}
			l.fn(Object{Key: key, Size: aws.ToInt64(o.Size)})
		}
	}
	return nil
}

// keyDay reads the YYYY/MM/DD/ folder at the start of rest.
func keyDay(rest string) (time.Time, bool) {
	d, err := time.Parse("2006/01/02/", rest[:min(len(rest), len("2006/01/02/"))])
	return d, err == nil
}

// children lists the folder names directly under prefix (a listing with delimiter "/"), sorted
// and without duplicates.
func (l *lister) children(prefix string) ([]string, error) {
	pages := s3.NewListObjectsV2Paginator(l.api, &s3.ListObjectsV2Input{
		Bucket: aws.String(l.bucket), Prefix: aws.String(prefix), Delimiter: aws.String("/"),
	}, l.limit)
	var names []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(l.ctx)
		if err != nil {
			return nil, fmt.Errorf("listing %s: %s", ObjectName(l.bucket, prefix), Explain(err))
		}
		for _, cp := range page.CommonPrefixes {
			name := strings.TrimSuffix(strings.TrimPrefix(aws.ToString(cp.Prefix), prefix), "/")
			if name != "" {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// limit sets each page's MaxKeys to the selection's page size; the paginator sends none for 0,
// and S3 then chooses.
func (l *lister) limit(o *s3.ListObjectsV2PaginatorOptions) { o.Limit = l.sel.PageSize }
