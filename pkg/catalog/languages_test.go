package catalog

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// untranslated lists, one line per place, every text of the catalog that lacks a language of
// Languages or holds a code that is not one: each row description of each profile, and
// TopicDisplayName.
func untranslated() []string {
	var out []string
	check := func(place string, t Text) {
		missing, unknown := t.Untranslated()
		if len(missing) > 0 {
			out = append(out, fmt.Sprintf("%s: no text in %s", place, strings.Join(missing, ", ")))
		}
		if len(unknown) > 0 {
			out = append(out, fmt.Sprintf("%s: %s is not a code of catalog.Languages", place, strings.Join(unknown, ", ")))
		}
	}
	for _, p := range Profiles {
		for _, a := range p.Rows() {
			check(fmt.Sprintf("pkg/catalog: profile %s, row %s, Description", p.Name, a.ID), a.Description)
		}
	}
	check("pkg/catalog: TopicDisplayName", TopicDisplayName)
	return out
}

// TestEveryLanguageIsTranslated fails, naming the place, when a language of Languages lacks a
// translation in the catalog. The email labels are checked by internal/notify's test of the same
// name.
func TestEveryLanguageIsTranslated(t *testing.T) {
	for _, problem := range untranslated() {
		t.Error(problem)
	}
}

// TestUntranslatedNamesEachPlace adds a language nobody translated: every row of every profile and
// the display name must be named.
func TestUntranslatedNamesEachPlace(t *testing.T) {
	saved := Languages
	t.Cleanup(func() { Languages = saved })
	Languages = append(slices.Clip(saved), Language{Code: "xx"})

	got := untranslated()
	rows := len(RowsOf(Profiles))
	if len(got) != rows+1 {
		t.Fatalf("%d problems, want one per row (%d) and the display name:\n%s", len(got), rows, strings.Join(got, "\n"))
	}
	for _, want := range []string{
		"pkg/catalog: profile aws, row SecurityGroupChanges, Description: no text in xx",
		"pkg/catalog: profile cis, row Cis14VpcChanges, Description: no text in xx",
		"pkg/catalog: TopicDisplayName: no text in xx",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, strings.Join(got, "\n"))
		}
	}
}

func TestUntranslated(t *testing.T) {
	text := Text{"jp": "typo", "ja": "", "zz": "x"}
	for _, code := range LanguageCodes() {
		if code != "ja" {
			text[code] = "text in " + code
		}
	}
	missing, unknown := text.Untranslated()
	if !slices.Equal(missing, []string{"ja"}) || !slices.Equal(unknown, []string{"jp", "zz"}) {
		t.Errorf("Untranslated() = %q, %q; want [ja], [jp zz]", missing, unknown)
	}
}

func TestDefaultLanguageIsEnglish(t *testing.T) {
	// docs/alarms.md: English is the default and a custom alarm without ja falls back to en.
	if got := DefaultLanguage(); got != "en" {
		t.Errorf("DefaultLanguage() = %q, want en", got)
	}
}
