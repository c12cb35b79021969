// Package pgtest gives tests a real PostgreSQL server: the throwaway one
// scripts/pg-up.sh runs, or the one NOVA_PG_TEST_CONN_STR names.
//
//	conn := pgtest.ConnString(t)   // the server's connection string
//	schema := pgtest.Schema(t)     // a schema name of the test's own, dropped at cleanup
//	db := pgtest.Database(t)       // a connection string to a fresh database, dropped at cleanup
//	pgtest.Restart(t)              // restart the server (pg_ctl restart, through pg-up.sh)
//
// ConnString looks for the server in this order: NOVA_PG_TEST_CONN_STR; the
// connection file pg-up.sh writes (/tmp/novacron-pg/conn_str when run as
// root, /tmp/novacron-pg-USER/conn_str otherwise, NOVA_PG_DIR/conn_str when
// that is set), if the server it names answers; else it runs
// scripts/pg-up.sh and reads the file again. When none works the test fails
// with a message naming what is missing: a test never skips for want of a
// database.
//
// It is for tests only, never prints the connection string (it holds a
// password), and imports nothing of the project.
package pgtest
