package bot

import (
	"sync"
	"time"
)

// rateLimiter allows each user n events in any window of length per.
type rateLimiter struct {
	n   int
	per time.Duration
	now func() time.Time

	mu    sync.Mutex
	users map[string]*userEvents
}

type userEvents struct {
	times []time.Time // the allowed events within the last window, oldest first
	told  bool        // whether the user was told about a refusal since
}

// sweepAt is the number of users above which allow forgets idle users.
const sweepAt = 4096

func newRateLimiter(n int, per time.Duration, now func() time.Time) *rateLimiter {
	return &rateLimiter{n: n, per: per, now: now, users: map[string]*userEvents{}}
}

// allow records an event for user if the user is under the limit. Otherwise
// it returns when the user may try again, and whether this is the first
// refusal since the last allowed event (so that a message flood is answered
// once).
func (l *rateLimiter) allow(user string) (ok bool, retry time.Time, first bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.users) >= sweepAt {
		for id, u := range l.users {
			if len(u.times) == 0 || now.Sub(u.times[len(u.times)-1]) >= l.per {
				delete(l.users, id)
			}
		}
	}
	u := l.users[user]
	if u == nil {
		u = &userEvents{}
		l.users[user] = u
	}
	kept := u.times[:0]
	for _, t := range u.times {
		if now.Sub(t) < l.per {
			kept = append(kept, t)
		}
	}
	u.times = kept
	if len(u.times) >= l.n {
		first = !u.told
		u.told = true
		return false, u.times[0].Add(l.per), first
	}
	u.times = append(u.times, now)
	u.told = false
	return true, time.Time{}, false
}
