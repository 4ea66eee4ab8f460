#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server available to it.
#
#   bash .ci/with-postgres.sh uv run pytest
#
# The server lives entirely in a fresh temporary directory and listens only on a
# unix socket inside it (no TCP), so it cannot collide with a system PostgreSQL on
# port 5432, with another run of this script, or with anything a developer has
# configured. Everything is torn down when the command finishes, however it ends.
#
# The command sees:
#   CLERK_DESK_TEST_POSTGRES  SQLAlchemy URL of the empty database clerk_desk_test
#                             (this is what the test suite's PostgreSQL leg reads)
#   PGHOST, PGUSER, PGDATABASE  the same server for psql / libpq, handy when debugging
#
# Exit status is the command's own. Needs the Debian "postgresql" package (server
# binaries under /usr/lib/postgresql/*/bin). Works as root (the server then runs as
# the "postgres" user, because PostgreSQL refuses to run as root) or as a normal user.
set -euo pipefail

die() {
    echo "with-postgres: $*" >&2
    exit 1
}

[[ $# -gt 0 ]] || {
    echo "usage: bash $0 COMMAND [ARG...]" >&2
    exit 2
}

# Use the newest installed major version if several are present.
pg_bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[[ -n $pg_bin && -x $pg_bin/initdb && -x $pg_bin/pg_ctl ]] ||
    die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)"

pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/clerk-desk-pg.XXXXXX")
data_dir=$pg_dir/data
log_file=$pg_dir/server.log

if [[ $EUID -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to run the server as"
    chown postgres: "$pg_dir"
    # Run from inside the temp dir: the postgres user may not be allowed into the
    # caller's working directory (e.g. a checkout under /root), and initdb/pg_ctl
    # complain or fail when they cannot access the current directory.
    as_pg() { (cd "$pg_dir" && runuser -u postgres -- "$@"); }
else
    as_pg() { (cd "$pg_dir" && "$@"); }
fi

cleanup() {
    local rc=$?
    if [[ -f $data_dir/postmaster.pid ]]; then
        as_pg "$pg_bin/pg_ctl" -D "$data_dir" -m immediate -w stop >/dev/null 2>&1 ||
            echo "with-postgres: warning: could not stop the server in $data_dir" >&2
    fi
    rm -rf "$pg_dir"
    exit "$rc"
}
trap cleanup EXIT
# Turn Ctrl-C / cancellation into a normal exit so the EXIT trap still stops the
# server. (Bash acts on these only once the running command has exited; Ctrl-C in a
# terminal reaches the command too, so in practice that is immediate.)
trap 'exit 130' INT
trap 'exit 143' TERM

# C.UTF-8 always exists in Debian's libc, whereas whatever LANG the caller has
# (e.g. en_US.UTF-8 on a bare image) may not be generated, which makes initdb fail.
# -N / fsync=off: the data is thrown away, so durability only costs time.
as_pg "$pg_bin/initdb" -D "$data_dir" -A trust -U postgres -E UTF8 --locale=C.UTF-8 -N >/dev/null

# listen_addresses='' disables TCP entirely; the socket goes into our private dir.
if ! as_pg "$pg_bin/pg_ctl" -D "$data_dir" -l "$log_file" \
    -o "-k '$pg_dir' -c listen_addresses='' -c fsync=off" -w start >/dev/null; then
    echo "with-postgres: server failed to start; its log follows" >&2
    cat "$log_file" >&2 || true
    exit 1
fi

as_pg "$pg_bin/createdb" -h "$pg_dir" -U postgres clerk_desk_test

# Prove the socket actually accepts connections before handing over, so a broken
# server shows up here rather than as confusing failures inside the command.
[[ $("$pg_bin/psql" -h "$pg_dir" -U postgres -d clerk_desk_test -XAtqc 'SELECT 1') == 1 ]] ||
    die "server started but psql could not query clerk_desk_test via $pg_dir"

export CLERK_DESK_TEST_POSTGRES="postgresql+psycopg://postgres@/clerk_desk_test?host=$pg_dir"
export PGHOST=$pg_dir PGUSER=postgres PGDATABASE=clerk_desk_test
echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') ready, socket in $pg_dir" >&2

# Not exec: the EXIT trap has to survive to stop the server afterwards.
"$@"
