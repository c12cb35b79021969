// Package pgtest gives tests a real PostgreSQL server: the throwaway one
// scripts/pg-up.sh runs, or the one NOVA_PG_TEST_CONN_STR names.
//
//	conn := pgtest.ConnString(t)   // the server's connection string
//	schema := pgtest.Schema(t)     // a schema name of the test's own, dropped at cleanup
//	db := pgtest.Database(t)       // a connection string to a fresh database, dropped at cleanup
//	r := pgtest.NewRestartable(t)  // a server of the test's own to restart: r.ConnString, r.Restart(t)
//
// ConnString looks for the server in this order: NOVA_PG_TEST_CONN_STR; the
// connection file pg-up.sh writes (conn_str in Dir(): /tmp/novacron-pg when
// run as root, /tmp/novacron-pg-USER otherwise, NOVA_PG_DIR when that is
// set), if the server it names answers; else it runs scripts/pg-up.sh and
// reads the file again. A restart would end every session of that shared
// server, other packages' tests' too, so a test that restarts one uses a
// second cluster (NewRestartable), held by one test at a time. When none works the test fails
// with a message naming what is missing: a test never skips for want of a
// database.
//
// It is for tests only, never prints the connection string (it holds a
// password), and imports nothing of the project.
package pgtest
