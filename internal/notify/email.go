package notify

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// words are the fixed texts of the email in one language.
type words struct {
	inAlarm, account, region, window, windowEstimated, oneEvent, events, searchFound         string
	eventsHeading, noEvents, more, who, what, where, errorLabel, member, link, root          string
	issuer, session, console, accessKey, mfa, via, from, agent, threshold, alarmLink, reason string
	degraded, fetchFailed, publishFailed, noRow, incomplete, footer, unreadable, notAlarm    string
	yes, no, memberNote, sep                                                                 string
	labelWidth                                                                               int // columns of the widest event label, in a fixed-width font
}

// languages are the words by language code: one entry per code of catalog.Languages
// (TestEveryLanguageIsTranslated).
var languages = map[string]words{
	"en": {
		inAlarm:         "%s is in %s",
		account:         "Account",
		region:          "Region",
		window:          "%s counted by the alarm between %s and %s UTC.",
		windowEstimated: "The notification carries no datapoints; events searched between %s and %s UTC.",
		oneEvent:        "1 event",
		events:          "%d events",
		searchFound:     "The log search found %d; the alarm counted %d (late or not yet delivered events make the difference).",
		eventsHeading:   "Events, newest first (%d of %d):",
		noEvents:        "The log search found no event in the window.",
		more:            "... and %d more (not listed).",
		who:             "Who:",
		what:            "What:",
		where:           "Where:",
		errorLabel:      "Error:",
		member:          "Account:",
		link:            "Event:",
		root:            "!!! ROOT USER !!!",
		issuer:          "role %s, session %s",
		session:         "session",
		console:         "console session",
		accessKey:       "access key %s",
		mfa:             "MFA %s",
		yes:             "yes",
		sep:             ", ",
		labelWidth:      7,
		no:              "no",
		memberNote:      "%s (member account of the organization trail)",
		via:             "via %s",
		from:            "from %s",
		agent:           "user agent %s",
		threshold:       "Threshold: %[1]s %[2]s event(s) in %[3]d seconds (%[4]d of %[5]d periods).",
		alarmLink:       "Alarm:",
		reason:          "Reason:",
		degraded:        "DETAILS UNAVAILABLE - this is the alarm without its events.",
		fetchFailed:     "The events could not be fetched from CloudWatch Logs: %s",
		publishFailed:   "The detailed email could not be sent: %s",
		noRow:           "The events are not listed: no filter pattern for metric %s/%s (%s).",
		incomplete:      "The listing is incomplete: %s",
		footer:          "Sent by trailwatch. Integrations that need CloudWatch's alarm JSON subscribe to the raw alarm topic.",
		unreadable:      "trailwatch received a notification it could not read as a CloudWatch alarm (%s). Its text:",
		notAlarm:        "The alarm left the ALARM state; no events are listed.",
	},
	"ja": {
		inAlarm:         "%s が %s 状態です",
		account:         "アカウント",
		region:          "リージョン",
		window:          "%s (アラームが %s から %s UTC の間に数えた件数)",
		windowEstimated: "通知にデータポイントがないため、%s から %s UTC の間を検索しました。",
		oneEvent:        "1 件のイベント",
		events:          "%d 件のイベント",
		searchFound:     "ログ検索で見つかったのは %d 件、アラームが数えたのは %d 件です (配信の遅れによる差)。",
		eventsHeading:   "イベント (新しい順、%d 件 / 全 %d 件):",
		noEvents:        "この期間のイベントはログ検索で見つかりませんでした。",
		more:            "... ほか %d 件 (一覧に含まれていません)。",
		who:             "誰が:",
		what:            "何を:",
		where:           "どこで:",
		errorLabel:      "エラー:",
		member:          "アカウント:",
		link:            "イベント:",
		root:            "!!! ルートユーザー !!!",
		issuer:          "ロール %s、セッション %s",
		session:         "セッション",
		console:         "コンソールのセッション",
		accessKey:       "アクセスキー %s",
		mfa:             "MFA %s",
		yes:             "あり",
		sep:             "、",
		labelWidth:      12,
		no:              "なし",
		memberNote:      "%s (組織の証跡のメンバーアカウント)",
		via:             "%s 経由",
		from:            "送信元 %s",
		agent:           "ユーザーエージェント %s",
		threshold:       "しきい値: %[3]d 秒間に %[1]s %[2]s 件 (%[4]d / %[5]d 期間)。",
		alarmLink:       "アラーム:",
		reason:          "理由:",
		degraded:        "詳細を取得できませんでした - イベントを含まないアラームの通知です。",
		fetchFailed:     "CloudWatch Logs からイベントを取得できませんでした: %s",
		publishFailed:   "詳細なメールを送信できませんでした: %s",
		noRow:           "イベントは一覧にありません: メトリクス %s/%s のフィルターパターンがありません (%s)。",
		incomplete:      "一覧は不完全です: %s",
		footer:          "trailwatch が送信しました。CloudWatch のアラーム JSON が必要な連携先は、生のアラームのトピックを購読してください。",
		unreadable:      "trailwatch は CloudWatch のアラームとして読めない通知を受け取りました (%s)。本文:",
		notAlarm:        "アラームは ALARM 状態を離れました。イベントは一覧にありません。",
	},
}

// wordsFor returns the words in lang; an unknown code (ConfigFromEnv refuses one) gives the
// default language's.
func wordsFor(lang string) words {
	if w, ok := languages[lang]; ok {
		return w
	}
	return languages[catalog.DefaultLanguage()]
}

// email is one message to publish.
type email struct {
	Subject, Body string
}

// report is what the handler learned about one alarm, for rendering.
type report struct {
	alarm       Alarm
	row         catalog.Alarm
	hasRow      bool
	window      Window
	events      []record // newest first, at most listedEvents
	found       int      // events the log search returned
	problems    []string // what could not be done, one line each (already worded)
	degraded    bool     // no events to show: say so loudly
	environment string
	lang        string
}

// subject is ASCII, one line, under 100 characters: "ALARM 3x <alarm> | <account> (<env>) | <region>".
// The alarm name is shortened first when the whole does not fit; it is never dropped.
func (r *report) subject() string {
	count := ""
	switch {
	case r.window.Count >= 0 && r.alarm.NewStateValue == "ALARM":
		count = fmt.Sprintf(" %dx", r.window.Count)
	}
	state := asciiSubject(r.alarm.NewStateValue)
	if r.degraded {
		state += " (no details)"
	}
	acct := asciiSubject(r.alarm.AWSAccountID)
	if r.environment != "" {
		acct += " (" + asciiSubject(r.environment) + ")"
	}
	tail := " | " + acct + " | " + asciiSubject(r.alarm.RegionCode())
	head := cutASCII(state+count, 30) + " "
	name := asciiSubject(r.alarm.AlarmName)
	tail = cutASCII(tail, maxSubject-len(head)-12) // the name keeps at least 12 characters
	return head + cutASCII(name, maxSubject-len(head)-len(tail)) + tail
}

func (r *report) render() email {
	w := wordsFor(r.lang)
	var b strings.Builder
	line := func(format string, args ...any) {
		fmt.Fprintf(&b, format, args...)
		b.WriteByte('\n')
	}
	a := r.alarm
	line(w.inAlarm, clean(a.AlarmName, 255), clean(a.NewStateValue, 40))
	acct := clean(a.AWSAccountID, 20)
	if r.environment != "" {
		acct += " (" + clean(r.environment, 64) + ")"
	}
	line("%s: %s   %s: %s (%s)", w.account, acct, w.region, clean(a.RegionCode(), 30), clean(a.Region, 60))
	if r.degraded {
		line("")
		line("*** %s ***", w.degraded)
	}
	for _, p := range r.problems {
		line("%s", p)
	}
	line("")
	if a.NewStateValue != "ALARM" {
		line("%s", w.notAlarm)
	} else if r.window.Estimated {
		line(w.windowEstimated, stamp(r.window.Start), stamp(r.window.End))
	} else {
		line(w.window, w.count(r.window.Count), stamp(r.window.Start), stamp(r.window.End))
	}
	if r.hasRow {
		line("%s", clean(r.row.Description.In(r.lang), 500))
	}
	if !r.degraded && a.NewStateValue == "ALARM" {
		r.renderEvents(&b, w)
	}
	line("")
	t := a.Trigger
	// M of N: DatapointsToAlarm of EvaluationPeriods; CloudWatch's default M is N.
	periods := max(t.EvaluationPeriods, 1)
	datapoints := t.DatapointsToAlarm
	if datapoints <= 0 {
		datapoints = periods
	}
	datapoints = min(datapoints, periods)
	line(w.threshold, opText(t.ComparisonOperator), strconv.FormatFloat(t.Threshold, 'f', -1, 64), t.Period, datapoints, periods)
	line("%s %s", w.alarmLink, alarmURL(a))
	line("%s %s", w.reason, clean(a.NewStateReason, 400))
	line("")
	line("-- ")
	line("%s", w.footer)
	body := b.String()
	if len(body) > maxMessage {
		// Reached only by hostile records: a field of control characters is written as \uXXXX
		// escapes, six bytes a character, so 20 such events pass SNS's limit despite the caps.
		cut := strings.LastIndexByte(body[:maxMessage], '\n')
		body = body[:cut+1] + fmt.Sprintf(w.incomplete+"\n", "message shortened")
	}
	return email{Subject: r.subject(), Body: body}
}

// count words n events.
func (w words) count(n int) string {
	if n == 1 {
		return w.oneEvent
	}
	return fmt.Sprintf(w.events, n)
}

func (r *report) renderEvents(b *strings.Builder, w words) {
	line := func(format string, args ...any) {
		fmt.Fprintf(b, format, args...)
		b.WriteByte('\n')
	}
	total := max(r.window.Count, r.found)
	if r.window.Count >= 0 && r.found != r.window.Count {
		line(w.searchFound, r.found, r.window.Count)
	}
	line("")
	if len(r.events) == 0 {
		line("%s", w.noEvents)
		return
	}
	line(w.eventsHeading, len(r.events), total)
	fields := catalog.ShownFields[r.row.ID] // events are listed only with a row
	if fields == nil {
		fields = []string{"requestParameters"}
	}
	for i, ev := range r.events {
		line("")
		r.renderEvent(b, w, i+1, ev, fields)
	}
	if more := total - len(r.events); more > 0 {
		line("")
		line(w.more, more)
	}
}

func (r *report) renderEvent(b *strings.Builder, w words, n int, ev record, fields []string) {
	// Labels are padded to one width so values line up in a fixed-width font; continuation lines
	// start at the same column.
	line := func(label, text string) {
		if text == "" {
			return
		}
		pad := max(w.labelWidth-columns(label), 1)
		fmt.Fprintf(b, "    %s%s%s\n", label, strings.Repeat(" ", pad), text)
	}
	more := func(text string) {
		if text != "" {
			fmt.Fprintf(b, "    %s%s\n", strings.Repeat(" ", w.labelWidth), text)
		}
	}
	if ev.raw == nil {
		fmt.Fprintf(b, "[%d] %s UTC\n", n, stamp(ev.time()))
		line(w.what, clean(ev.message, maxField))
		return
	}
	fmt.Fprintf(b, "[%d] %s UTC  %s  %s\n", n, stamp(ev.time()), clean(ev.str("eventSource"), 80), clean(ev.str("eventName"), 120))

	// Who.
	typ := ev.str("userIdentity.type")
	arn := ev.str("userIdentity.arn")
	who := clean(typ, 40)
	if arn != "" {
		who += " " + clean(arn, maxField)
	} else if u := ev.str("userIdentity.userName"); u != "" {
		who += " " + clean(u, 128)
	}
	if typ == "Root" {
		who = w.root + " " + who
	}
	line(w.who, strings.TrimSpace(who))
	if issuer := ev.str("userIdentity.sessionContext.sessionIssuer.arn"); issuer != "" {
		more(fmt.Sprintf(w.issuer, clean(issuer, maxField), clean(sessionName(arn), 64)))
	}
	var how []string
	if ev.str("sessionCredentialFromConsole") == "true" || ev.str("eventType") == "AwsConsoleSignIn" {
		how = append(how, w.console)
	}
	if k := ev.str("userIdentity.accessKeyId"); k != "" {
		how = append(how, fmt.Sprintf(w.accessKey, clean(k, 32)))
	}
	mfa := ev.str("additionalEventData.MFAUsed")
	if mfa == "" {
		mfa = ev.str("userIdentity.sessionContext.attributes.mfaAuthenticated")
	}
	switch strings.ToLower(mfa) {
	case "":
	case "yes", "true":
		how = append(how, fmt.Sprintf(w.mfa, w.yes))
	case "no", "false":
		how = append(how, fmt.Sprintf(w.mfa, w.no))
	default:
		how = append(how, fmt.Sprintf(w.mfa, clean(mfa, 8)))
	}
	if v := ev.str("userIdentity.invokedBy"); v != "" {
		how = append(how, fmt.Sprintf(w.via, clean(v, 80)))
	}
	more(strings.Join(how, w.sep))

	// What.
	first := true
	for _, f := range fields {
		v := ev.str(f)
		if v == "" {
			continue
		}
		text := strings.TrimPrefix(f, "requestParameters.") + " = " + clean(v, maxParams)
		if f == "requestParameters" {
			text = clean(v, maxParams)
		}
		if first {
			line(w.what, text)
			first = false
		} else {
			more(text)
		}
	}

	// Where.
	where := []string{clean(ev.str("awsRegion"), 30)}
	if ip := ev.str("sourceIPAddress"); ip != "" {
		where = append(where, fmt.Sprintf(w.from, clean(ip, 80)))
	}
	line(w.where, strings.Join(where, w.sep))
	if ua := ev.str("userAgent"); ua != "" {
		more(fmt.Sprintf(w.agent, clean(ua, maxField)))
	}

	// Error.
	if code := ev.str("errorCode"); code != "" || ev.str("errorMessage") != "" {
		text := clean(code, 80)
		if msg := ev.str("errorMessage"); msg != "" {
			text = strings.TrimPrefix(text+": "+clean(msg, maxField), ": ")
		}
		line(w.errorLabel, text)
	}

	// Organization trails: the member account the event happened in.
	if acct := ev.str("recipientAccountId"); acct != "" && acct != r.alarm.AWSAccountID {
		line(w.member, fmt.Sprintf(w.memberNote, clean(acct, 20)))
	}
	if id := ev.str("eventID"); id != "" {
		line(w.link, eventURL(r.alarm.Partition(), ev.str("awsRegion"), id))
	}
}

// columns is the width of s in a fixed-width font: CJK and full-width characters take two.
func columns(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x1100 && (r <= 0x115f || r >= 0x2e80 && r <= 0xa4cf || r >= 0xac00 && r <= 0xd7a3 || r >= 0xf900 && r <= 0xfaff || r >= 0xfe30 && r <= 0xfe4f || r >= 0xff00 && r <= 0xff60 || r >= 0xffe0 && r <= 0xffe6) {
			n++
		}
	}
	return n
}

func stamp(t interface{ Format(string) string }) string { return t.Format("2006-01-02 15:04:05") }

func opText(op string) string {
	switch op {
	case "GreaterThanOrEqualToThreshold":
		return ">="
	case "GreaterThanThreshold":
		return ">"
	case "LessThanThreshold":
		return "<"
	case "LessThanOrEqualToThreshold":
		return "<="
	}
	return clean(op, 40)
}

// consoleHost is the console's host name in a partition.
func consoleHost(partition, region string) string {
	switch partition {
	case "aws-cn":
		return "console.amazonaws.cn"
	case "aws-us-gov":
		return "console.amazonaws-us-gov.com"
	}
	if region == "" {
		return "console.aws.amazon.com"
	}
	return region + ".console.aws.amazon.com"
}

// eventURL opens the event in CloudTrail's event history (management events, 90 days) in its Region.
func eventURL(partition, region, eventID string) string {
	region = url.QueryEscape(region)
	return "https://" + consoleHost(partition, region) + "/cloudtrailv2/home?region=" + region + "#/events/" + url.PathEscape(eventID)
}

// alarmURL opens the alarm in the CloudWatch console.
func alarmURL(a Alarm) string {
	region := url.QueryEscape(a.RegionCode())
	return "https://" + consoleHost(a.Partition(), region) + "/cloudwatch/home?region=" + region + "#alarmsV2:alarm/" + url.PathEscape(a.AlarmName)
}
