package notify

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/trailwatch/trailwatch/pkg/catalog"
)

// verb is a fmt verb of a label, with its explicit argument index if any.
var verb = regexp.MustCompile(`%(\[\d+\])?[a-z]`)

// untranslatedWords lists, one line per place, every email label a language of catalog.Languages
// lacks, every label whose fmt verbs differ in number from the default language's (the
// arguments would be misplaced), and every entry of languages that is not a catalog language.
func untranslatedWords() []string {
	var out []string
	def := reflect.ValueOf(languages[catalog.DefaultLanguage()])
	for _, code := range catalog.LanguageCodes() {
		w, ok := languages[code]
		if !ok {
			out = append(out, fmt.Sprintf("internal/notify: languages has no words in %s", code))
			continue
		}
		v := reflect.ValueOf(w)
		for i := range v.NumField() {
			name, f := v.Type().Field(i).Name, v.Field(i)
			switch {
			case f.Kind() == reflect.Int && f.Int() <= 0:
				out = append(out, fmt.Sprintf("internal/notify: languages[%q].%s is %d; want the label column width", code, name, f.Int()))
			case f.Kind() == reflect.String && f.String() == "":
				out = append(out, fmt.Sprintf("internal/notify: languages[%q].%s: no text in %s", code, name, code))
			case f.Kind() == reflect.String:
				if got, want := len(verb.FindAllString(f.String(), -1)), len(verb.FindAllString(def.Field(i).String(), -1)); got != want {
					out = append(out, fmt.Sprintf("internal/notify: languages[%q].%s has %d fmt verbs, %s has %d", code, name, got, catalog.DefaultLanguage(), want))
				}
			}
		}
	}
	for code := range languages {
		if !slices.Contains(catalog.LanguageCodes(), code) {
			out = append(out, fmt.Sprintf("internal/notify: languages[%q]: not a code of catalog.Languages", code))
		}
	}
	slices.Sort(out)
	return out
}

// TestEveryLanguageIsTranslated fails, naming the label, when a language of catalog.Languages
// lacks an email label. The catalog's texts are checked by pkg/catalog's test of the same name.
func TestEveryLanguageIsTranslated(t *testing.T) {
	for _, problem := range untranslatedWords() {
		t.Error(problem)
	}
}

func TestUntranslatedWordsNamesEachPlace(t *testing.T) {
	saved := catalog.Languages
	t.Cleanup(func() { catalog.Languages = saved; delete(languages, "xx") })
	catalog.Languages = append(slices.Clip(saved), catalog.Language{Code: "xx"})

	if got, want := untranslatedWords(), []string{"internal/notify: languages has no words in xx"}; !slices.Equal(got, want) {
		t.Errorf("a language without words: %q, want %q", got, want)
	}

	partial := languages["en"]
	partial.footer, partial.labelWidth, partial.threshold = "", 0, "%[3]d s: %[1]s %[2]s"
	languages["xx"] = partial
	want := []string{
		`internal/notify: languages["xx"].footer: no text in xx`,
		`internal/notify: languages["xx"].labelWidth is 0; want the label column width`,
		`internal/notify: languages["xx"].threshold has 3 fmt verbs, en has 5`,
	}
	if got := untranslatedWords(); !slices.Equal(got, want) {
		t.Errorf("a partly translated language:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	catalog.Languages = saved
	if got, want := untranslatedWords(), []string{`internal/notify: languages["xx"]: not a code of catalog.Languages`}; !slices.Equal(got, want) {
		t.Errorf("words of an unknown language: %q, want %q", got, want)
	}
}

func TestCount(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{{"en", 1, "1 event"}, {"en", 2, "2 events"}, {"en", 0, "0 events"}, {"ja", 1, "1 件のイベント"}, {"ja", 3, "3 件のイベント"}} {
		if got := languages[c.lang].count(c.n); got != c.want {
			t.Errorf("%s count(%d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

// TestConfigFromEnvAcceptsTheCatalogLanguages: the function takes any language of
// catalog.Languages, and names them all when refusing one.
func TestConfigFromEnvAcceptsTheCatalogLanguages(t *testing.T) {
	saved, codes := catalog.Languages, catalog.LanguageCodes()
	t.Cleanup(func() { catalog.Languages = saved })
	catalog.Languages = append(slices.Clip(saved), catalog.Language{Code: "xx"})
	env := map[string]string{EnvLogGroup: "g", EnvTopicARN: "arn:aws:sns:us-east-1:123456789012:t", EnvLanguage: "xx"}
	if c, err := ConfigFromEnv(func(k string) string { return env[k] }); err != nil || c.Language != "xx" {
		t.Errorf("ConfigFromEnv = %+v, %v; want language xx", c, err)
	}
	env[EnvLanguage] = "fr"
	_, err := ConfigFromEnv(func(k string) string { return env[k] })
	if want := `TRAILWATCH_LANGUAGE is "fr"; allowed: ` + strings.Join(codes, ", ") + ", xx"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}
