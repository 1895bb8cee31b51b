package markup

// CheckSafe is checkSafe for the package's external tests (editor_test.go).
var CheckSafe = checkSafe
