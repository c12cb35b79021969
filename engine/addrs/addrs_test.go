package addrs_test

import (
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/novacron/novacron/engine/addrs"
)

func TestParseInstanceRoundTrip(t *testing.T) {
	web := addrs.Fleet{Kind: addrs.KindFleet, Name: "web"}
	tests := []struct {
		in   string
		want addrs.Instance
	}{
		{"fleet.web", web.Instance(addrs.NoKey)},
		{"fleet.web[0]", web.Instance(addrs.IntKey(0))},
		{"fleet.web[2]", web.Instance(addrs.IntKey(2))},
		{"fleet.web[100000]", web.Instance(addrs.IntKey(100000))},
		{"fleet.web[999999999]", web.Instance(addrs.IntKey(999999999))},
		{"fleet.web[1234567890]", web.Instance(addrs.IntKey(1234567890))},
		{`fleet.web["a"]`, web.Instance(addrs.StringKey("a"))},
		{`fleet.web[""]`, web.Instance(addrs.StringKey(""))},
		{`fleet.web["a]b[c"]`, web.Instance(addrs.StringKey("a]b[c"))},
		{`fleet.web["say \"hi\""]`, web.Instance(addrs.StringKey(`say "hi"`))},
		{`fleet.web["tab\there"]`, web.Instance(addrs.StringKey("tab\there"))},
		{`fleet.web["é"]`, web.Instance(addrs.StringKey("é"))},
		{"fleet.A_b-9", addrs.Fleet{Name: "A_b-9"}.Instance(addrs.NoKey)},
		{"vm.db-01", addrs.Fleet{Kind: addrs.KindVM, Name: "db-01"}.Instance(addrs.NoKey)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := addrs.ParseInstance(tt.in)
			if err != nil {
				t.Fatalf("ParseInstance(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseInstance(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("String() = %q, want the input %q back", s, tt.in)
			}
			if f := got.Fleet(); f != tt.want.Fleet() {
				t.Errorf("Fleet() = %v, want %v", f, tt.want.Fleet())
			}
		})
	}
}

// A key written with escapes other than the canonical ones parses to the
// same address, and String gives the canonical form.
func TestParseInstanceCanonicalizesKeys(t *testing.T) {
	for in, want := range map[string]string{
		`fleet.web["\x41"]`:       `fleet.web["A"]`,
		`fleet.web["\u00e9"]`:     `fleet.web["é"]`,
		"fleet.web[\"a\tb\"]":     `fleet.web["a\tb"]`,
		`fleet.web["\a\x00"]`:     `fleet.web["\a\x00"]`,
		`fleet.web["\U0001F600"]`: `fleet.web["😀"]`,
	} {
		a, err := addrs.ParseInstance(in)
		if err != nil {
			t.Errorf("ParseInstance(%q): %v", in, err)
			continue
		}
		if a.String() != want {
			t.Errorf("ParseInstance(%q).String() = %q, want %q", in, a.String(), want)
		}
	}
}

// Every error names the input and says what to write instead.
func TestParseInstanceRefusesHostileInput(t *testing.T) {
	tests := map[string]string{
		"":                                "it is empty: write fleet.NAME",
		" fleet.web":                      "it has spaces around it",
		"web[0]":                          "it does not start with fleet. or vm.",
		"web":                             "write fleet.web for a fleet or vm.web for a vm block",
		"Fleet.web":                       "it does not start with fleet. or vm.",
		"fleet.":                          `"" is not a fleet or vm name`,
		"fleet.9web[0]":                   `"9web" is not a fleet or vm name`,
		"fleet.we b[0]":                   `"we b" is not a fleet or vm name`,
		"fleet.web.x":                     `"web.x" is not a fleet or vm name`,
		"fleet.we\x00b":                   `"we\x00b" is not a fleet or vm name`,
		"fleet.web\x1b[31m":               `"web\x1b" is not a fleet or vm name`,
		"fleet.web]":                      `"web]" is not a fleet or vm name`,
		"fleet.web[":                      "the index or key does not end with ']'",
		"fleet.web[1":                     "the index or key does not end with ']'",
		"fleet.web[1]x":                   `the index or key does not end with ']': the address must end there, but "x" follows`,
		"fleet.web[1][2]":                 `but "[2]" follows`,
		"fleet.web[2].name":               `but ".name" follows`,
		"fleet.web[]":                     `the index "" is not a whole number`,
		"fleet.web[ 1]":                   `the index " 1" is not a whole number`,
		"fleet.web[-1]":                   `the index "-1" is not a whole number: count indexes start at 0`,
		"fleet.web[01]":                   `the index "01" is not a whole number written without leading zeros: write [1]`,
		"fleet.web[00]":                   "write [0]",
		"fleet.web[1.5]":                  `the index "1.5" is not a whole number`,
		"fleet.web[99999999999999999999]": `the index "99999999999999999999" is too large`,
		"fleet.web[a]":                    `the index "a" is not a whole number; a for_each key is written in double quotes: ["a"]`,
		"fleet.web['a']":                  `the index "'a'" is not a whole number; a for_each key is written in double quotes: ["a"]`,
		`fleet.web["a]`:                   `the key "a is not a quoted string: it has no closing '"'`,
		`fleet.web["a"`:                   "the index or key does not end with ']'",
		`fleet.web["a"]]`:                 `but "]" follows`,
		`fleet.web["\q"]`:                 `the key "\q" is not a quoted string: it has an invalid escape`,
		"fleet.web[\"a\nb\"]":             `the key "\"a\nb\"" is not a quoted string`,
		"fleet.web[\"\x1b[2J":             `the key "\"\x1b[2J" is not a quoted string`,
		"vm.db[0]":                        "a vm block has a single instance, so its address takes no index or key (vm.db)",
		`vm.db["a"]`:                      "a vm block has a single instance",
		"fleet." + strings.Repeat("a", 5000) + "!": `…`,
	}
	for in, want := range tests {
		t.Run(strconv.Quote(in), func(t *testing.T) {
			a, err := addrs.ParseInstance(in)
			if err == nil {
				t.Fatalf("ParseInstance(%q) = %v, want an error", in, a)
			}
			msg := err.Error()
			if !strings.Contains(msg, want) {
				t.Errorf("ParseInstance(%q) error\n  %s\nlacks %q", in, msg, want)
			}
			if !strings.Contains(msg, "is not a VM address: ") {
				t.Errorf("error %q does not say what is wrong", msg)
			}
			for _, r := range msg {
				if r < ' ' || r == 0x7f {
					t.Errorf("error %q carries a control character %U", msg, r)
				}
			}
			if len(msg) > 400 {
				t.Errorf("error is %d bytes long: it repeats the whole input", len(msg))
			}
		})
	}
}

func TestParseFleet(t *testing.T) {
	for in, want := range map[string]string{
		"fleet.web": "", "vm.db-01": "",
		"fleet.web[0]": "a fleet address has no index or key ([0] is the address of one of its VMs)",
		"web":          "write fleet.web",
		"fleet.a b":    `"a b" is not a fleet or vm name`,
	} {
		f, err := addrs.ParseFleet(in)
		switch {
		case want == "" && err != nil:
			t.Errorf("ParseFleet(%q): %v", in, err)
		case want == "" && f.String() != in:
			t.Errorf("ParseFleet(%q).String() = %q", in, f.String())
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("ParseFleet(%q) = %v, want an error containing %q", in, err, want)
		case want != "" && !strings.Contains(err.Error(), "is not a fleet address"):
			t.Errorf("ParseFleet(%q) error %q does not say it is not a fleet address", in, err)
		}
	}
}

func TestKeyAccessors(t *testing.T) {
	if i, ok := addrs.IntKey(7).Int(); !ok || i != 7 {
		t.Errorf("IntKey(7).Int() = %d, %v", i, ok)
	}
	if _, ok := addrs.StringKey("7").Int(); ok {
		t.Error(`StringKey("7") is an int key`)
	}
	if s, ok := addrs.StringKey("a").Str(); !ok || s != "a" {
		t.Errorf(`StringKey("a").Str() = %q, %v`, s, ok)
	}
	if !addrs.NoKey.IsNone() || addrs.IntKey(0).IsNone() {
		t.Error("IsNone is wrong for NoKey or IntKey(0)")
	}
	if addrs.IntKey(0) == addrs.NoKey || addrs.StringKey("") == addrs.NoKey {
		t.Error("IntKey(0) or StringKey(\"\") equals NoKey")
	}
}

func mustParse(t testing.TB, s string) addrs.Instance {
	t.Helper()
	a, err := addrs.ParseInstance(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestLessSorts(t *testing.T) {
	want := []string{
		"fleet.a", "fleet.a-b[0]", "fleet.web[0]", "fleet.web[2]", "fleet.web[10]", "fleet.web[100]",
		`fleet.x["a"]`, `fleet.x["b"]`, `fleet.x["b10"]`, `fleet.x["b9"]`, "vm.db", "vm.db-01",
	}
	got := slices.Clone(want)
	rand.New(rand.NewSource(3)).Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
	slices.SortStableFunc(got, func(a, b string) int {
		switch pa, pb := mustParse(t, a), mustParse(t, b); {
		case pa.Less(pb):
			return -1
		case pb.Less(pa):
			return 1
		}
		return 0
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sorted addresses (-want +got):\n%s", diff)
	}
}

// SortStrings sorts as Less does, and puts what does not parse last, in
// text order.
func TestSortStrings(t *testing.T) {
	want := []string{"fleet.web", "fleet.web[2]", "fleet.web[10]", `fleet.web["a"]`, "vm.db", "fleet.web[01]", "junk"}
	got := slices.Clone(want)
	slices.Reverse(got)
	addrs.SortStrings(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SortStrings (-want +got):\n%s", diff)
	}
	if addrs.CompareStrings("fleet.web[2]", "fleet.web[10]") >= 0 || addrs.CompareStrings("junk", "fleet.web") <= 0 {
		t.Error("CompareStrings disagrees with SortStrings")
	}
}

// randomAddress draws from the addresses a spec and state can hold: a
// fleet or vm, with no index, a count index, or a quoted for_each key.
func randomAddress(rng *rand.Rand) (addr string) {
	fleets := []string{"fleet.a", "fleet.ab", "fleet.a-b", "fleet.b", "vm.a", "vm.a-1"}
	modules := []string{"", "", "module.a.", "module.a[2].", "module.a[10].", `module.a["x"].`, "module.a.module.b.", "module.ab."}
	addr = fleets[rng.Intn(len(fleets))]
	defer func() { addr = modules[rng.Intn(len(modules))] + addr }()
	switch {
	case strings.HasPrefix(addr, "vm."), rng.Intn(3) == 0:
		return addr
	case rng.Intn(2) == 0:
		addr += "[" + strconv.Itoa(rng.Intn(120)) + "]"
		return addr
	}
	alphabet := []rune(`ab09[]" .é`)
	key := make([]rune, rng.Intn(4))
	for i := range key {
		key[i] = alphabet[rng.Intn(len(alphabet))]
	}
	addr += "[" + strconv.Quote(string(key)) + "]"
	return addr
}

// TestLessStrictWeakOrder checks the laws sort relies on over random
// addresses: irreflexive, asymmetric, transitive — and total, since two
// distinct addresses never tie.
func TestLessStrictWeakOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for range 20 {
		as := make([]addrs.Instance, 40)
		for i := range as {
			as[i] = mustParse(t, randomAddress(rng))
		}
		for _, a := range as {
			if a.Less(a) {
				t.Fatalf("%v < %v", a, a)
			}
			for _, b := range as {
				if a.Less(b) && b.Less(a) {
					t.Fatalf("%v and %v are each less than the other", a, b)
				}
				if a != b && !a.Less(b) && !b.Less(a) {
					t.Fatalf("distinct addresses %v and %v are not ordered", a, b)
				}
				for _, c := range as {
					if a.Less(b) && b.Less(c) && !a.Less(c) {
						t.Fatalf("not transitive: %v < %v < %v but not %v < %v", a, b, c, a, c)
					}
				}
			}
		}
	}
}

// FuzzParseInstance: no input panics, and whatever parses formats to a
// canonical form that parses to the same address.
func FuzzParseInstance(f *testing.F) {
	for _, s := range []string{"fleet.web[2]", `fleet.web["a"]`, "vm.db-01", "fleet.web[", `fleet.web["\x41"]`, `module.a["k"].module.b[1].fleet.w[2]`, "module.a[", "module.a.module"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := addrs.ParseInstance(s)
		if err != nil {
			return
		}
		b, err := addrs.ParseInstance(a.String())
		if err != nil || b != a {
			t.Fatalf("%q parsed to %v, whose String %q parses to %v, %v", s, a, a.String(), b, err)
		}
	})
}
