package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Chart keys and file ids are bounded so a hostile key cannot bloat the
// file: a key longer than maxChartKey is stored as its command and the
// SHA-256 of the whole key, so long charts (a 64-input neuron, a
// 32-token attention map) are remembered too.
const (
	maxChartKey    = 512
	maxChartFileID = 256
	maxCommandName = 32
)

// storedKey is the bucket key for a chart key: the key itself, or
// "command|sha256:<hex>" when it is long.
func storedKey(key string) []byte {
	if len(key) <= maxChartKey {
		return []byte(key)
	}
	cmd, _, _ := strings.Cut(key, "|")
	if len(cmd) > maxCommandName {
		cmd = cmd[:maxCommandName]
	}
	sum := sha256.Sum256([]byte(key))
	return []byte(cmd + "|sha256:" + hex.EncodeToString(sum[:]))
}

// ChartFileID returns the Telegram file_id stored for a chart key, or
// ErrNotFound. file_ids are per bot and do not expire, so a chart that
// was uploaded once is sent again by id, across restarts.
func (db *DB) ChartFileID(key string) (string, error) {
	var id string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketCharts).Get(storedKey(key))
		if v == nil {
			return ErrNotFound
		}
		id = string(v)
		return nil
	})
	return id, err
}

// SaveChartFileID remembers the file_id Telegram gave the chart key.
func (db *DB) SaveChartFileID(key, fileID string) error {
	if key == "" || fileID == "" || len(fileID) > maxChartFileID {
		return fmt.Errorf("%w: chart key %d bytes, file id %d bytes", ErrInvalid, len(key), len(fileID))
	}
	err := db.bolt.Batch(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCharts).Put(storedKey(key), []byte(fileID))
	})
	if err != nil {
		return fmt.Errorf("storage: save chart file id: %w", err)
	}
	return nil
}

// ForgetChartFileID drops a file_id Telegram no longer accepts.
func (db *DB) ForgetChartFileID(key string) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCharts).Delete(storedKey(key))
	})
}
