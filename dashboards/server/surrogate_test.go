package server

import "testing"

func TestHasLoneSurrogate(t *testing.T) {
	for body, want := range map[string]bool{
		`{"name":"a\ud800b"}`:        true,
		`{"name":"a\uDC00"}`:         true,
		`{"name":"\ud83d"}`:          true,
		`{"name":"\ud83d\u0041"}`:    true,
		`{"name":"\ud83d\ude00"}`:    false, // 😀, a proper pair
		`{"name":"\\ud800"}`:         false, // an escaped backslash, then text
		`{"name":"Привет \u0416"}`:   false,
		`{"name":"\u00e9\\\ud800x"}`: true,
	} {
		if got := hasLoneSurrogate([]byte(body)); got != want {
			t.Errorf("hasLoneSurrogate(%s) = %v, want %v", body, got, want)
		}
	}
}
