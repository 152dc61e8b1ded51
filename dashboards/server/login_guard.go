package server

import (
	"sort"
	"strings"
	"sync"
	"time"
)

// The sign-in limits, shared by the API's sign-in and the login form's
// (both go through Server.SignIn), kept in this process's memory.
const (
	// AccountFailures failed sign-ins in a row lock an account: for
	// FirstLockout, and each further failure after a lock ends locks it
	// again for twice as long, up to MaxLockout. A success, an admin's
	// unlock or a quiet ForgetAfter clears it.
	AccountFailures = 10
	FirstLockout    = time.Minute
	MaxLockout      = time.Hour
	ForgetAfter     = 24 * time.Hour
	// AddressFailures failed sign-ins from one client address, whatever
	// the e-mails, within AddressWindow refuse that address until the
	// window ends.
	AddressFailures = 20
	AddressWindow   = 15 * time.Minute
	// guardSweepAt is the table size past which stale entries are dropped.
	guardSweepAt = 10000
)

// NormalizeAccount is the account an e-mail signs in to: what
// crmcore.Store.Authenticate looks up (trimmed, case-insensitive), so
// "  Analyst@…" and "analyst@…" share one limit.
func NormalizeAccount(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// loginGuard counts failed sign-ins per account and per client address.
// Invariant: an account is locked while now < lockedUntil; locks counts
// its lockouts since it was last cleared (the next lasts
// FirstLockout << locks).
type loginGuard struct {
	mu        sync.Mutex
	now       func() time.Time
	accounts  map[string]*accountState
	addresses map[string]*addressState
}

type accountState struct {
	failures    int
	locks       int
	lockedUntil time.Time
	last        time.Time
}

type addressState struct {
	failures int
	since    time.Time
}

// Lockout is a locked account as an admin sees it (GET /auth/lockouts).
type Lockout struct {
	Email       string    `json:"email"`
	Failures    int       `json:"failures"`
	Lockouts    int       `json:"lockouts"`
	LockedUntil time.Time `json:"locked_until"`
}

func newLoginGuard(now func() time.Time) *loginGuard {
	if now == nil {
		now = time.Now
	}
	return &loginGuard{now: now, accounts: map[string]*accountState{}, addresses: map[string]*addressState{}}
}

// refusal says why a sign-in is refused before its password is checked:
// "account_locked", "address_limited" or "" (go ahead), and for how long.
func (g *loginGuard) refusal(account, addr string) (string, time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if a := g.accounts[account]; a != nil && now.Before(a.lockedUntil) {
		return "account_locked", a.lockedUntil.Sub(now)
	}
	if d := g.addresses[addr]; d != nil && d.failures >= AddressFailures && now.Before(d.since.Add(AddressWindow)) {
		return "address_limited", d.since.Add(AddressWindow).Sub(now)
	}
	return "", 0
}

// failed records a wrong password (or unknown e-mail) for both keys.
func (g *loginGuard) failed(account, addr string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	g.sweep(now)
	a := g.accounts[account]
	if a == nil || now.Sub(a.last) > ForgetAfter {
		a = &accountState{}
		g.accounts[account] = a
	}
	a.failures++
	a.last = now
	if a.failures >= AccountFailures {
		a.lockedUntil = now.Add(lockoutAfter(a.locks))
		a.locks++
	}
	d := g.addresses[addr]
	if d == nil || !now.Before(d.since.Add(AddressWindow)) {
		d = &addressState{since: now}
		g.addresses[addr] = d
	}
	d.failures++
}

// lockoutAfter is how long the lock after locks earlier ones lasts.
func lockoutAfter(locks int) time.Duration {
	if locks >= 10 {
		return MaxLockout
	}
	return min(FirstLockout<<locks, MaxLockout)
}

// clear forgets an account's failures and lock (a success, an admin's
// unlock); it says whether there was anything to forget.
func (g *loginGuard) clear(account string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	_, had := g.accounts[account]
	delete(g.accounts, account)
	return had
}

// lockouts lists the accounts locked now, by e-mail.
func (g *loginGuard) lockouts() []Lockout {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	out := []Lockout{}
	for email, a := range g.accounts {
		if now.Before(a.lockedUntil) {
			out = append(out, Lockout{Email: email, Failures: a.failures, Lockouts: a.locks, LockedUntil: a.lockedUntil.UTC()})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Email < out[j].Email })
	return out
}

// sweep drops stale entries once the tables grow large, so a flood of
// made-up e-mails cannot exhaust memory.
func (g *loginGuard) sweep(now time.Time) {
	if len(g.accounts)+len(g.addresses) < guardSweepAt {
		return
	}
	for k, a := range g.accounts {
		if !now.Before(a.lockedUntil) && now.Sub(a.last) > AddressWindow && a.failures < AccountFailures {
			delete(g.accounts, k)
		} else if now.Sub(a.last) > ForgetAfter {
			delete(g.accounts, k)
		}
	}
	for k, d := range g.addresses {
		if !now.Before(d.since.Add(AddressWindow)) {
			delete(g.addresses, k)
		}
	}
}
