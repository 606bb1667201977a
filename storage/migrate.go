package storage

import (
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// migrations[v] upgrades a file from schema v to v+1 inside Open's
// transaction; the buckets of the current schema already exist.
var migrations = map[int]func(*bolt.Tx) error{
	1: migrate1to2,
}

// userV1 is the users record of schema 1.
type userV1 struct {
	V             int   `json:"v"`
	LessonsOpened []int `json:"lessons_opened,omitempty"`
}

// migrate1to2 rewrites every users record in the version 2 format. The
// version 1 fields keep their meaning; the new ones start empty.
func migrate1to2(tx *bolt.Tx) error {
	users := tx.Bucket(bucketUsers)
	type rec struct {
		k []byte
		u User
	}
	var recs []rec
	err := users.ForEach(func(k, v []byte) error {
		var old userV1
		if err := json.Unmarshal(v, &old); err != nil {
			return fmt.Errorf("decode v1 user %x: %w", k, err)
		}
		if old.V > 1 {
			return nil // already rewritten
		}
		opened := slices.Clone(old.LessonsOpened)
		slices.Sort(opened)
		recs = append(recs, rec{slices.Clone(k), User{LessonsOpened: slices.Compact(opened)}})
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range recs { // not inside ForEach: bbolt forbids writes there
		u := r.u
		u.V = 2
		v, err := json.Marshal(u)
		if err != nil {
			return err
		}
		if err := users.Put(r.k, v); err != nil {
			return err
		}
	}
	return nil
}

// decodeUser reads a users record of any known version.
func decodeUser(v []byte) (User, error) {
	var u User
	if err := json.Unmarshal(v, &u); err != nil {
		return u, err
	}
	if u.V > SchemaVersion {
		return u, fmt.Errorf("record version %d > %d", u.V, SchemaVersion)
	}
	// A version 1 record decodes as version 2 with empty new fields; Open
	// has normally rewritten it already.
	u.V = SchemaVersion
	return u, nil
}
