package pg

import (
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// How soon a connection that died silently (a host gone, a network cut:
// no FIN, no RST) is noticed, on both ends: after keepIdle without traffic
// a probe every keepInterval, keepCount unanswered probes end it; data
// unacknowledged for userTimeout ends it too. The server frees a lock
// holder's advisory lock when it notices; the holder's next write fails.
const (
	keepIdle     = 15 * time.Second
	keepInterval = 5 * time.Second
	keepCount    = 3
	userTimeout  = 30 * time.Second
)

// setConnParams makes every connection of cc use TCP keepalives on both
// ends and names it for pg_stat_activity.
func setConnParams(cc *pgx.ConnConfig, app string) {
	d := &net.Dialer{
		KeepAliveConfig: net.KeepAliveConfig{Enable: true, Idle: keepIdle, Interval: keepInterval, Count: keepCount},
		Control:         setUserTimeout,
	}
	cc.DialFunc = d.DialContext
	p := cc.RuntimeParams
	if p["application_name"] == "" {
		p["application_name"] = app
	}
	p["tcp_keepalives_idle"] = strconv.Itoa(int(keepIdle / time.Second))
	p["tcp_keepalives_interval"] = strconv.Itoa(int(keepInterval / time.Second))
	p["tcp_keepalives_count"] = strconv.Itoa(keepCount)
	p["tcp_user_timeout"] = strconv.Itoa(int(userTimeout / time.Millisecond))
}
