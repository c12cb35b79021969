// Package dashboard is the web dashboard at /: server-rendered Go
// templates with embedded assets (no build step): fleets and VMs per
// provider with power and host, a plan view with each change's reasons and
// the graph (drawn on the server as SVG), apply progress live from
// /ws/status, runs and history, and the login form.
//
// It reads through server/estate only and changes nothing itself: the
// Plan and Apply buttons call the REST API (server/api) from the embedded
// script, with the X-Nova-CSRF header, so every change passes the API's
// role checks and is audited there. The login form calls the same
// auth.Authenticator as the API's login. Pages carry a strict
// Content-Security-Policy: no inline script or style, nothing from
// another origin; the script never inserts HTML.
package dashboard
