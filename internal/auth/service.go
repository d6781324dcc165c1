package auth

import (
	"context"
	"strings"
	"sync"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// Settings are the sign-in rules the configuration chooses.
type Settings struct {
	Password         domain.PasswordPolicy
	SessionIdle      time.Duration
	SessionLifetime  time.Duration
	LockoutFailures  int
	LockoutDuration  time.Duration
	ThrottleFailures int
	ThrottleWindow   time.Duration
}

// Service signs people in and manages credentials over the store.
type Service struct {
	store    *store.Store
	settings Settings
	throttle *throttle
}

// NewService returns a service over the store.
func NewService(s *store.Store, settings Settings) *Service {
	return &Service{store: s, settings: settings, throttle: newThrottle(settings.ThrottleFailures, settings.ThrottleWindow)}
}

// Settings returns the rules in force.
func (s *Service) Settings() Settings { return s.settings }

// errBadCredentials never says whether the username exists.
var errBadCredentials = domain.Errorf(domain.EUNAUTHORIZED, "用户名或密码错误。")

// Login checks a password and opens a session; it returns the new session id, which the
// caller puts in a cookie (a fresh id at every login: session fixation is impossible).
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (string, *domain.User, error) {
	// Attempts are counted before the slow password check, not after it, so that a
	// burst of parallel guesses cannot all be checked before the first failure lands.
	now := s.store.Now()
	if !s.throttle.reserve(ip, now) {
		return "", nil, domain.Errorf(domain.ETHROTTLED, "该地址登录失败次数过多，请稍后再试。")
	}
	user, err := s.store.FindUserByUsername(ctx, username)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		// Spend the same time as a real check, so timing does not reveal usernames.
		VerifyPassword(dummyHash, password)
		return "", nil, errBadCredentials
	}
	if err != nil {
		return "", nil, err
	}
	actor := domain.Actor{User: user, Via: "web", IP: ip}
	if user.Disabled {
		return "", nil, domain.Errorf(domain.EUNAUTHORIZED, "账号已停用，请联系系统管理员。")
	}
	allowed, lockedUntil, err := s.store.ReserveLoginAttempt(ctx, actor, user.ID, s.settings.LockoutFailures, s.settings.LockoutDuration)
	if err != nil {
		return "", nil, err
	}
	if !allowed {
		return "", nil, lockedError(lockedUntil, now)
	}
	hash, err := s.store.PasswordHash(ctx, user.ID)
	if err != nil {
		return "", nil, err
	}
	ok, err := VerifyPassword(hash, password)
	if err != nil {
		return "", nil, err
	}
	if !ok {
		if err := s.store.RecordLoginFailure(ctx, actor, user.ID); err != nil {
			return "", nil, err
		}
		if !lockedUntil.IsZero() {
			return "", nil, lockedError(lockedUntil, now)
		}
		return "", nil, errBadCredentials
	}
	s.throttle.release(ip)
	if err := s.store.RecordLogin(ctx, actor, user.ID); err != nil {
		return "", nil, err
	}
	id := newSecret(32)
	sess := &store.Session{IDHash: HashSecret(id), UserID: user.ID, ExpiresAt: now.Add(s.settings.SessionLifetime)}
	if err := s.store.CreateSession(ctx, sess, ip, userAgent); err != nil {
		return "", nil, err
	}
	return id, user, nil
}

func lockedError(until, now time.Time) error {
	mins := int(until.Sub(now).Round(time.Minute).Minutes())
	if mins < 1 {
		mins = 1
	}
	return domain.Errorf(domain.ELOCKED, "连续登录失败次数过多，账号已锁定，请约%d分钟后再试或联系系统管理员。", mins)
}

// dummyHash is verified against when the username does not exist.
var dummyHash, _ = HashPassword("beizeng-dummy-password")

// Session resolves a session cookie to its user, refreshing its idle timer at most once a
// minute so that reads stay reads.
func (s *Service) Session(ctx context.Context, id string) (*store.Session, *domain.User, error) {
	if id == "" {
		return nil, nil, domain.Errorf(domain.EUNAUTHORIZED, "请先登录。")
	}
	hash := HashSecret(id)
	sess, user, err := s.store.FindSession(ctx, hash, s.settings.SessionIdle)
	if err != nil {
		return nil, nil, err
	}
	if s.store.Now().Sub(sess.LastSeenAt) > time.Minute {
		if err := s.store.TouchSession(ctx, hash); err != nil {
			return nil, nil, err
		}
	}
	return sess, user, nil
}

// Logout ends the session.
func (s *Service) Logout(ctx context.Context, actor domain.Actor, id string) error {
	if id == "" {
		return nil
	}
	return s.store.EndSession(ctx, actor, HashSecret(id))
}

// TokenPrefix starts every API token, so leaked tokens are easy to search for.
const TokenPrefix = "bz_"

// Bearer resolves an API token to its user.
func (s *Service) Bearer(ctx context.Context, token string) (*domain.User, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "API 令牌无效或已吊销。")
	}
	return s.store.FindUserByToken(ctx, HashSecret(token))
}

// CreateToken makes a token for the user and returns its secret, which is shown once.
func (s *Service) CreateToken(ctx context.Context, actor domain.Actor, user *domain.User, name string) (string, *domain.APIToken, error) {
	name = strings.TrimSpace(name)
	if n := len([]rune(name)); n == 0 || n > 64 {
		return "", nil, &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
			Fields: map[string]string{"name": "请填写令牌用途（不超过64个字）。"}}
	}
	secret := TokenPrefix + newSecret(32)
	t := &domain.APIToken{UserID: user.ID, Name: name, Prefix: secret[:10]}
	if err := s.store.CreateToken(ctx, actor, t, HashSecret(secret)); err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// CreateUser creates a user with an initial password they must change at first login.
func (s *Service) CreateUser(ctx context.Context, actor domain.Actor, u *domain.User, password string) error {
	u.Normalize()
	p := domain.Problems{}
	if err := u.Validate(); err != nil {
		for k, v := range domain.ErrorFields(err) {
			p.Add(k, v)
		}
	}
	if err := s.settings.Password.Check(password, u.Username); err != nil {
		p.Add("password", domain.ErrorFields(err)["password"])
	}
	if err := p.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	u.MustChangePassword = true
	return s.store.CreateUser(ctx, actor, u, hash)
}

// ChangePassword is the user changing their own password; other sessions end.
func (s *Service) ChangePassword(ctx context.Context, actor domain.Actor, user *domain.User, current, next, keepSessionID string) error {
	hash, err := s.store.PasswordHash(ctx, user.ID)
	if err != nil {
		return err
	}
	p := domain.Problems{}
	if ok, _ := VerifyPassword(hash, current); !ok {
		p.Add("current", "当前密码不正确。")
	}
	if err := s.settings.Password.Check(next, user.Username); err != nil {
		p.Add("password", domain.ErrorFields(err)["password"])
	} else if current == next {
		p.Add("password", "新密码不能与当前密码相同。")
	}
	if err := p.Err(); err != nil {
		return err
	}
	newHash, err := HashPassword(next)
	if err != nil {
		return err
	}
	keep := ""
	if keepSessionID != "" {
		keep = HashSecret(keepSessionID)
	}
	return s.store.SetPassword(ctx, actor, user.ID, newHash, false, keep)
}

// ResetPassword is an admin setting a new initial password; the user must change it.
func (s *Service) ResetPassword(ctx context.Context, actor domain.Actor, userID int64, password string) error {
	user, err := s.store.FindUserByID(ctx, userID)
	if err != nil {
		return err
	}
	if err := s.settings.Password.Check(password, user.Username); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.store.SetPassword(ctx, actor, userID, hash, true, "")
}

// throttle counts failed logins per client address in memory: it slows guessing from one
// address across many usernames, which the per-account lockout cannot see.
type throttle struct {
	mu       sync.Mutex
	max      int
	window   time.Duration
	failures map[string][]time.Time
}

func newThrottle(max int, window time.Duration) *throttle {
	return &throttle{max: max, window: window, failures: map[string][]time.Time{}}
}

func (t *throttle) recent(ip string, now time.Time) []time.Time {
	kept := t.failures[ip][:0]
	for _, at := range t.failures[ip] {
		if now.Sub(at) < t.window {
			kept = append(kept, at)
		}
	}
	if len(kept) == 0 {
		delete(t.failures, ip)
		return nil
	}
	t.failures[ip] = kept
	return kept
}

// reserve counts an attempt from ip, or refuses it when the window is full. A successful
// sign-in gives its attempt back with release.
func (t *throttle) reserve(ip string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	recent := t.recent(ip, now)
	if len(recent) >= t.max {
		return false
	}
	t.failures[ip] = append(recent, now)
	return true
}

func (t *throttle) release(ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n := len(t.failures[ip]); n > 0 {
		t.failures[ip] = t.failures[ip][:n-1]
	}
}

// ContactLink resolves an enterprise contact's link token. Unknown tokens count against
// the address in the same throttle as failed logins: guessing links is guessing
// passwords, and the token's 260 random bits make a hit hopeless anyway.
func (s *Service) ContactLink(ctx context.Context, token, ip string) (domain.ProblemActor, *domain.Enterprise, error) {
	if !s.throttle.reserve(ip, s.store.Now()) {
		return domain.ProblemActor{}, nil, domain.Errorf(domain.ETHROTTLED, "该地址访问无效链接次数过多，请稍后再试。")
	}
	a, e, err := s.store.ContactByToken(ctx, token)
	if err == nil {
		s.throttle.release(ip)
	}
	a.IP = ip
	return a, e, err
}
