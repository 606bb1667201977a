package storage

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Verify opens the file at path read-only and checks it as bbolt sees it
// (every page reachable once, no page both free and in use: Tx.Check) and
// that it is a neurotutor database; it returns the schema version. A
// backup that passes Verify restores by starting the bot on it.
func Verify(path string) (int, error) {
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return 0, fmt.Errorf("storage: verify: %w", err)
	}
	defer b.Close()
	version := 0
	err = b.View(func(tx *bolt.Tx) error {
		var problems []error
		for err := range tx.Check() { // read to the end: Check's goroutine sends them all
			if len(problems) < 10 {
				problems = append(problems, err)
			}
		}
		if len(problems) > 0 {
			return errors.Join(problems...)
		}
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return errors.New("not a neurotutor database: no meta bucket")
		}
		v, err := strconv.Atoi(string(meta.Get(keySchema)))
		if err != nil {
			return errors.New("not a neurotutor database: no schema version")
		}
		version = v
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("storage: verify %s: %w", path, err)
	}
	return version, nil
}
