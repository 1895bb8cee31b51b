package demo

import "testing"

func TestLoad(t *testing.T) {
	nr, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if nr.Name != "Northgate Courier" {
		t.Errorf("Name = %q", nr.Name)
	}
}
