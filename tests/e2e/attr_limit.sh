# One limit on attribute names across imports (SQLite): see attr_limit.inc.
. tests/e2e/lib.inc
. tests/e2e/attr_limit.inc
attr_limit_case "$T/a.db" "$T/b.db"
echo "a store holds at most 64 attribute names across imports; at 64 export -> import round-trips (sqlite)"
