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
	for _, c := range [][2]string{{"", "x"}, {"k", ""}, {"k", strings.Repeat("x", 257)}} {
		if err := db.SaveChartFileID(c[0], c[1]); !errors.Is(err, storage.ErrInvalid) {
			t.Errorf("SaveChartFileID(%d bytes, %d bytes) = %v", len(c[0]), len(c[1]), err)
		}
	}
}

// Long chart keys (a 64-input neuron is about 850 bytes) are kept under
// their hash: saved, found, told apart and forgotten like short ones.
func TestLongChartKeys(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	long := "neuron|" + strings.Repeat("0.123456,", 64) + "|" + strings.Repeat("1.5,", 64) + "|0|sigmoid"
	other := long[:len(long)-1] + "x" // differs in the last byte only
	if err := db.SaveChartFileID(long, "id-long"); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveChartFileID(other, "id-other"); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveChartFileID(strings.Repeat("k", 100000), "id-huge"); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{long: "id-long", other: "id-other", strings.Repeat("k", 100000): "id-huge"} {
		if id, err := db.ChartFileID(key); err != nil || id != want {
			t.Errorf("%d-byte key: %q, %v; want %q", len(key), id, err, want)
		}
	}
	if err := db.ForgetChartFileID(long); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChartFileID(long); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("after forget: %v", err)
	}
	if id, _ := db.ChartFileID(other); id != "id-other" {
		t.Fatalf("forgetting one long key forgot another: %q", id)
	}
}
