package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// CookieName is the dashboard's session cookie: it holds a login token.
const CookieName = "nova_session"

// The errors of Login and Authenticate a client may be told of, as a
// status and nothing more: 401 for both. Any other error is the server's
// fault (the users file is unreadable, say): log it, answer 500.
var (
	// ErrUnauthorized: no credentials, or a token that is malformed,
	// tampered with, signed with another key, expired, logged out, or
	// whose user or token is gone or disabled. The wrapped reason is for
	// the server's log only.
	ErrUnauthorized = errors.New("not authenticated")
	// ErrBadCredentials: an unknown user, a wrong password or a disabled
	// user, all alike.
	ErrBadCredentials = errors.New("wrong user name or password")
)

// Options configure a Service; zero fields take the defaults.
type Options struct {
	UsersFile string        // default UsersPath(root)
	KeyFile   string        // default KeyPath(root)
	TokenTTL  time.Duration // how long a login token lasts; default 1 h
	// LoginFailures is how many failed logins a user name may have from
	// one client address before that pair must wait; default 5. Then it
	// gets one more attempt per LoginBackoff (default 30 s). A login that
	// succeeds clears the pair.
	LoginFailures int
	LoginBackoff  time.Duration
	// ClientFailures is how many failed logins, for any user names, a
	// client address may have in ClientWindow before it must wait;
	// default 30 in 5 min.
	ClientFailures int
	ClientWindow   time.Duration
	// UserFailures is how many failed logins a user name may have from
	// every address together in UserWindow before addresses it never
	// logged in from must wait; default 100 in 10 min.
	UserFailures int
	UserWindow   time.Duration
	// MaxLimited bounds the user names and addresses the login limiter
	// remembers; default 10,000.
	MaxLimited int
	Now        func() time.Time // default time.Now
}

func (o *Options) defaults(root string) {
	if o.UsersFile == "" {
		o.UsersFile = UsersPath(root)
	}
	if o.KeyFile == "" {
		o.KeyFile = KeyPath(root)
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = time.Hour
	}
	if o.LoginFailures <= 0 {
		o.LoginFailures = 5
	}
	if o.LoginBackoff <= 0 {
		o.LoginBackoff = 30 * time.Second
	}
	if o.ClientFailures <= 0 {
		o.ClientFailures = 30
	}
	if o.ClientWindow <= 0 {
		o.ClientWindow = 5 * time.Minute
	}
	if o.UserFailures <= 0 {
		o.UserFailures = 100
	}
	if o.UserWindow <= 0 {
		o.UserWindow = 10 * time.Minute
	}
	if o.MaxLimited <= 0 {
		o.MaxLimited = 10000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Service is the server's Authenticator over a users file and a signing
// key.
type Service struct {
	o       Options
	key     []byte
	limits  *loginLimits
	hashing chan struct{} // bounds the password hashes computed at once
	dummy   *passwordHash // verified for an unknown user, so it takes as long
	revoked revocations

	mu       sync.Mutex
	cached   *Users
	cachedID fileID

	dummyChecks atomic.Int64 // for tests: the dummy hashes verified
}

var _ Authenticator = (*Service)(nil)

// Open returns the Service of the estate at root: it reads the users
// file (which must exist: see InitialAdmin) and the signing key, making
// the key on first use.
func Open(root string, o Options) (*Service, error) {
	o.defaults(root)
	if _, _, err := readUsers(o.UsersFile); err != nil {
		return nil, err
	}
	key, err := loadKey(o.KeyFile)
	if err != nil {
		return nil, err
	}
	dummy, err := dummyHash()
	if err != nil {
		return nil, err
	}
	return &Service{
		o: o, key: key, dummy: dummy,
		limits:  newLoginLimits(&o),
		hashing: make(chan struct{}, max(2, runtime.NumCPU())),
		revoked: revocations{max: 100000, ids: map[string]time.Time{}},
	}, nil
}

// dummyHash is a hash of a random password with the parameters of new
// hashes.
func dummyHash() (*passwordHash, error) {
	pw, err := randomPassword()
	if err != nil {
		return nil, err
	}
	s, err := HashPassword(pw)
	if err != nil {
		return nil, err
	}
	return parseHash(s)
}

// Login checks user's password and returns a login token; the
// principal's Expires is when the token expires. It refuses with a
// *LimitedError while the user name, the client or the pair of them has
// failed too often (see loginLimits),
// and with ErrBadCredentials alike for an unknown user, a wrong password
// and a disabled user; each takes one password hash.
func (s *Service) Login(ctx context.Context, user, password, client string) (string, *Principal, error) {
	now := s.o.Now()
	keys := keysOf(user, client)
	if d := s.limits.retryAfter(keys, now); d > 0 {
		return "", nil, &LimitedError{RetryAfter: d}
	}
	select {
	case s.hashing <- struct{}{}:
		defer func() { <-s.hashing }()
	case <-ctx.Done():
		return "", nil, ctx.Err()
	}
	users, err := s.users()
	if err != nil {
		return "", nil, err
	}
	u := users.User(user)
	ok := s.checkPassword(u, password)
	if !ok || u.Disabled {
		s.limits.failed(keys, now)
		return "", nil, ErrBadCredentials
	}
	s.limits.succeeded(keys, now)
	exp := now.Add(s.o.TokenTTL)
	token, err := signLogin(s.key, u.Name, u.Generation, exp)
	if err != nil {
		return "", nil, err
	}
	return token, &Principal{Name: u.Name, Roles: cloneRoles(u.Roles), Expires: exp}, nil
}

// checkPassword verifies password against u's hash, or against the
// dummy hash when there is no such user, so both take as long.
func (s *Service) checkPassword(u *User, password string) bool {
	if u == nil {
		s.dummyChecks.Add(1)
		s.dummy.verify(password)
		return false
	}
	return u.hash.verify(password)
}

// Authenticate returns the principal of the request's bearer token (a
// login or an API token) or of its session cookie (a login token).
func (s *Service) Authenticate(r *http.Request) (*Principal, error) {
	token, cookie, err := credential(r)
	if err != nil {
		return nil, err
	}
	users, err := s.users()
	if err != nil {
		return nil, err
	}
	now := s.o.Now()
	if isAPIToken(token) && !cookie {
		return apiPrincipal(users, token, now)
	}
	c, err := verifyLogin(s.key, token, now)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnauthorized, err)
	}
	if s.revoked.has(c.ID) {
		return nil, fmt.Errorf("%w: logged out", ErrUnauthorized)
	}
	u := users.User(c.User)
	if u == nil || u.Disabled {
		return nil, fmt.Errorf("%w: user %q removed or disabled", ErrUnauthorized, c.User)
	}
	if subtle.ConstantTimeCompare([]byte(c.Gen), []byte(u.Generation)) != 1 {
		return nil, fmt.Errorf("%w: user %q's password was set, or the user disabled or removed, since the token was made", ErrUnauthorized, c.User)
	}
	return &Principal{Name: u.Name, Roles: cloneRoles(u.Roles), Expires: time.Unix(c.Expires, 0), Cookie: cookie}, nil
}

func apiPrincipal(users *Users, token string, now time.Time) (*Principal, error) {
	t := users.findToken(token)
	if t == nil {
		return nil, fmt.Errorf("%w: unknown or revoked API token", ErrUnauthorized)
	}
	if !t.Expires.IsZero() && !now.Before(t.Expires) {
		return nil, fmt.Errorf("%w: API token %q expired", ErrUnauthorized, t.Name)
	}
	return &Principal{Name: "token:" + t.Name, Roles: cloneRoles(t.Roles), Expires: t.Expires}, nil
}

// credential returns the request's token: the Authorization header's
// bearer token, or else the session cookie's (cookie set).
func credential(r *http.Request) (token string, cookie bool, err error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return "", false, fmt.Errorf("%w: Authorization is not a bearer token", ErrUnauthorized)
		}
		return token, false, nil
	}
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
		return c.Value, true, nil
	}
	return "", false, fmt.Errorf("%w: no credentials", ErrUnauthorized)
}

// Logout ends a login token before it expires (held in memory: a
// restart forgets it, and the token then works until it expires). An API
// token is revoked with `nova-plan serve token revoke` instead.
func (s *Service) Logout(token string) error {
	c, err := verifyLogin(s.key, token, s.o.Now())
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnauthorized, err)
	}
	s.revoked.add(c.ID, time.Unix(c.Expires, 0), s.o.Now())
	return nil
}

// users returns the users file, read again when it changed.
func (s *Service) users() (*Users, error) {
	fi, err := os.Stat(s.o.UsersFile)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.cached != nil && s.cachedID == idOf(fi) {
		u := s.cached
		s.mu.Unlock()
		return u, nil
	}
	s.mu.Unlock()
	u, id, err := readUsers(s.o.UsersFile)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.cached, s.cachedID = u, id
	s.mu.Unlock()
	return u, nil
}

// revocations are the logged-out login tokens, by id, until they expire;
// at most max of them (past that, those nearest expiry are forgotten).
type revocations struct {
	max int
	mu  sync.Mutex
	ids map[string]time.Time
}

func (r *revocations) add(id string, exp, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.ids) >= r.max {
		for k, e := range r.ids {
			if !now.Before(e) {
				delete(r.ids, k)
			}
		}
	}
	for len(r.ids) >= r.max {
		var first string
		for k, e := range r.ids {
			if first == "" || e.Before(r.ids[first]) {
				first = k
			}
		}
		delete(r.ids, first)
	}
	r.ids[id] = exp
}

func (r *revocations) has(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.ids[id]
	return ok
}
