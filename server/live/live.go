package live

import _ "github.com/coder/websocket" // replaced by the hub
