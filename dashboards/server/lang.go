package server

// PickLang is ru or en by lang (anything but "en" is Russian).
func PickLang(lang, ru, en string) string {
	if lang == "en" {
		return en
	}
	return ru
}
