package catalog

import "slices"

// Language is a language trailwatch writes alarm descriptions, the topic's display name and the
// alarm emails in.
type Language struct {
	// Code selects it (language=..., Text.In) and keys its translations.
	Code string
	// Note says what the choice changes, for help texts; "" for the default.
	Note string
}

// Languages are the languages of Text, the default (English, the fallback of Text.In) first.
// Adding one is a line here plus its translations: every row's Description, TopicDisplayName and
// the email labels of internal/notify (TestEveryLanguageIsTranslated names what is missing).
var Languages = []Language{
	{Code: "en"},
	{Code: "ja", Note: "alarm descriptions and the topic's display name in Japanese"},
}

// LanguageCodes lists the codes of Languages.
func LanguageCodes() []string {
	out := make([]string, len(Languages))
	for i, l := range Languages {
		out[i] = l.Code
	}
	return out
}

// DefaultLanguage is the code of the default language, Languages[0].
func DefaultLanguage() string { return Languages[0].Code }

// Text is a human-readable string by language code (a Code of Languages). Like a row's other maps
// and slices it is shared by copies of the row: give a row new text by assigning a new Text.
type Text map[string]string

// In returns the text in lang; an unknown code, or a missing translation (an alarms file may give
// only en), gives the default language's text.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	return t[DefaultLanguage()]
}

// Untranslated returns the codes of Languages t has no text in, in the order of Languages, then
// its codes that are not a language of Languages, sorted.
func (t Text) Untranslated() (missing, unknown []string) {
	for _, l := range Languages {
		if t[l.Code] == "" {
			missing = append(missing, l.Code)
		}
	}
	for code := range t {
		if !slices.Contains(LanguageCodes(), code) {
			unknown = append(unknown, code)
		}
	}
	slices.Sort(unknown)
	return missing, unknown
}

// TopicDisplayName is the alarm topic's display name: the sender name of the notification emails.
var TopicDisplayName = Text{
	"en": "trailwatch CloudTrail alarms",
	"ja": "trailwatch CloudTrail アラーム",
}
