package storage

import (
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole file to w from one read
// transaction (bbolt's Tx.WriteTo), while the bot goes on writing: the
// copy holds every transaction committed before it began. size, if not
// nil, is told the copy's length in bytes before the first byte is
// written. Restoring is starting the bot on the copy.
func (db *DB) Backup(w io.Writer, size func(int64)) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if size != nil {
			size(tx.Size())
		}
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("storage: backup: %w", err)
	}
	return n, nil
}

// Ping checks that the file answers a read transaction.
func (db *DB) Ping() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			return fmt.Errorf("storage: ping: no meta bucket")
		}
		return nil
	})
}
