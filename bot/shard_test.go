package bot

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestShard(t *testing.T) {
	h := start(t, newTestEngine(), Config{ShardID: 1, ShardCount: 3})
	var ident struct {
		Shard []int `json:"shard"`
	}
	decodeJSON(t, h.fake.Identifies()[0], &ident)
	if !slices.Equal(ident.Shard, []int{1, 3}) {
		t.Errorf("IDENTIFY shard = %v, want [1 3]", ident.Shard)
	}
}

func TestBadShard(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct{ id, n int }{{3, 3}, {-1, 2}, {1, 0}, {1, 1}} {
		s, err := NewSession("test-token")
		if err != nil {
			t.Fatal(err)
		}
		err = New(s, newTestEngine(), nil, nil, Config{ShardID: c.id, ShardCount: c.n}).Run(context.Background())
		if !errors.Is(err, ErrShard) {
			t.Errorf("shard %d of %d: Run returned %v, want ErrShard", c.id, c.n, err)
		}
	}
	if n := len(h.fake.Requests()); n != 0 {
		t.Errorf("%d requests to Discord with a bad shard", n)
	}
}

func TestRunNeedsGateway(t *testing.T) {
	var s rest = restOnly{}
	if err := New(s, newTestEngine(), nil, nil, Config{}).Run(context.Background()); !errors.Is(err, ErrNoGateway) {
		t.Errorf("Run without a gateway returned %v, want ErrNoGateway", err)
	}
}

// restOnly is a REST client with no gateway; Run must refuse it.
type restOnly struct{ rest }
