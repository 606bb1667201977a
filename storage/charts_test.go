package storage_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"neurotutor/storage"
)

func TestChartFileIDsSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChartFileID("neuron|1|2|0|sigmoid"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing key: %v", err)
	}
	if err := db.SaveChartFileID("neuron|1|2|0|sigmoid", "AgACAgIAAxk"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if id, err := db.ChartFileID("neuron|1|2|0|sigmoid"); err != nil || id != "AgACAgIAAxk" {
		t.Fatalf("after reopen: %q, %v", id, err)
	}
	if err := db.ForgetChartFileID("neuron|1|2|0|sigmoid"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChartFileID("neuron|1|2|0|sigmoid"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("after forget: %v", err)
	}
	for _, c := range [][2]string{{"", "x"}, {"k", ""}, {strings.Repeat("k", 513), "x"}, {"k", strings.Repeat("x", 257)}} {
		if err := db.SaveChartFileID(c[0], c[1]); !errors.Is(err, storage.ErrInvalid) {
			t.Errorf("SaveChartFileID(%d bytes, %d bytes) = %v", len(c[0]), len(c[1]), err)
		}
	}
}
