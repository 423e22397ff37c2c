#!/usr/bin/env bash
# Side-by-side LDAP baseline: a private Debian slapd (back-mdb) and the proxplane gateway, same
# 10,000-user directory with {SSHA} passwords, UnboundID SearchRate/AuthRate at 8 and 32 threads.
# Adapted from shared/docs/ldap-clients.md §13.3; this version also builds and starts the gateway.
# Needs: slapd + ldap-utils (Debian), a JDK 21+, Maven, python3. Run from the repository root.
# Then latency percentiles (p50/p95/p99/p99.9) of search and bind with LdapLatency.java beside this
# script, which records every operation (SearchRate/AuthRate only report means).
# Env: THREADS ("8 32"), ROUNDS (2), INTERVAL seconds (5), OUT (summary file),
#      LATENCY_SECONDS (20; 0 skips the latency phase)
set -euo pipefail
BASE=dc=example,dc=com; USERS=10000; SLAPD_PORT=${SLAPD_PORT:-3389}; GW_PORT=${GW_PORT:-1389}
THREADS=${THREADS:-"8 32"}; ROUNDS=${ROUNDS:-2}; INTERVAL=${INTERVAL:-5}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/bin/java-env.sh"
W=$(mktemp -d); echo "work dir $W"
SDK_VERSION=$(sed -n 's:.*<unboundid-ldapsdk.version>\(.*\)</unboundid-ldapsdk.version>.*:\1:p' "$root/pom.xml")
JAR=$HOME/.m2/repository/com/unboundid/unboundid-ldapsdk/$SDK_VERSION/unboundid-ldapsdk-$SDK_VERSION.jar
[ -f "$JAR" ] || mvn -q dependency:get -Dartifact=com.unboundid:unboundid-ldapsdk:$SDK_VERSION
GW_JAR=$root/ldap-gateway/target/ldap-gateway.jar
[ -f "$GW_JAR" ] || (cd "$root" && mvn -B -ntp -q -pl ldap-gateway -am package -DskipTests)

mkdir -p "$W/db"
cat > "$W/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $W/slapd.pid
sizelimit size.soft=500 size.hard=500 size.pr=unlimited size.prtotal=unlimited
database mdb
maxsize 2147483648
suffix "$BASE"
rootdn "cn=admin,$BASE"
rootpw secret
directory $W/db
index objectClass eq
index uid,cn,mail eq,sub
index uidNumber,gidNumber eq
index memberUid,member eq
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
EOF

HASH=$(slappasswd -h '{SSHA}' -s password)   # one salted hash reused: same cost per bind on both sides
{
  printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n' "$BASE"
  printf 'dn: ou=people,%s\nobjectClass: organizationalUnit\nou: people\n\n' "$BASE"
  printf 'dn: ou=groups,%s\nobjectClass: organizationalUnit\nou: groups\n\n' "$BASE"
  printf 'dn: cn=users,ou=groups,%s\nobjectClass: posixGroup\ncn: users\ngidNumber: 10000\n\n' "$BASE"
  for ((i = 0; i < USERS; i++)); do
    printf 'dn: uid=user%d,ou=people,%s\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\n' "$i" "$BASE"
    printf 'objectClass: shadowAccount\nuid: user%d\ncn: user%d\nsn: user%d\nmail: user%d@example.com\n' "$i" "$i" "$i" "$i"
    printf 'uidNumber: %d\ngidNumber: 10000\nhomeDirectory: /home/user%d\nloginShell: /bin/bash\n' $((10000 + i)) "$i"
    printf 'gecos: user%d\nshadowLastChange: 19000\nshadowMax: 99999\nshadowWarning: 7\nuserPassword: %s\n\n' "$i" "$HASH"
  done
} > "$W/data.ldif"
slapadd -q -f "$W/slapd.conf" -l "$W/data.ldif"
HASH="$HASH" USERS=$USERS python3 - "$W/directory.json" <<'EOF'
import json, os, sys
h, n = os.environ["HASH"], int(os.environ["USERS"])
users = [{"uid": f"user{i}", "uidNumber": 10000 + i, "gidNumber": 10000, "displayName": f"user{i}",
          "mail": f"user{i}@example.com", "passwordHash": h,
          "passwordChangedAt": "2022-01-08T00:00:00Z"} for i in range(n)]
json.dump({"users": users, "groups": [{"name": "users", "gidNumber": 10000, "memberUids": []}],
           "serviceAccounts": []}, open(sys.argv[1], "w"))
EOF

slapd -f "$W/slapd.conf" -h "ldap://127.0.0.1:$SLAPD_PORT/" -d 0 >"$W/slapd.out" 2>&1 &
SLAPD_PID=$!
java -jar "$GW_JAR" --base-dn=$BASE --directory-file="$W/directory.json" --listen=127.0.0.1 --ldap-port=$GW_PORT \
  --http-port=-1 --allow-anonymous-search=true --allow-plaintext-binds=true --lockout-failures=1000000 >"$W/gateway.out" 2>&1 &
GW_PID=$!
trap 'kill "$SLAPD_PID" "$GW_PID" 2>/dev/null || true' EXIT
for port in $SLAPD_PORT $GW_PORT; do
  for _ in $(seq 100); do ldapsearch -x -H "ldap://127.0.0.1:$port" -s base -b "" >/dev/null 2>&1 && break; sleep 0.2; done
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
COMMON=(-i "$INTERVAL" -I 4 --warmUpIntervals 1 --timestampFormat none)
NSS=(-A uid -A uidNumber -A gidNumber -A cn -A homeDirectory -A loginShell -A gecos -A objectClass)
SUMMARY=${OUT:-$W/summary.md}
echo "| target | test | threads | ops/s | mean ms | server CPU us/op |" > "$SUMMARY"
echo "|---|---|---|---|---|---|" >> "$SUMMARY"

bench() {  # name port pid
  local name=$1 port=$2 pid=$3 t test c0 c1 ops ms cpu
  for t in $THREADS; do for test in search auth bind; do
    case $test in
      search) cmd=(SearchRate -h 127.0.0.1 -p "$port" -b "$BASE" -s sub -f "(uid=user[0-9999])" "${NSS[@]}") ;;
      auth)   cmd=(AuthRate -h 127.0.0.1 -p "$port" -b "$BASE" -s sub -f "(uid=user[0-9999])" -A uid -C password) ;;
      bind)   cmd=(AuthRate -h 127.0.0.1 -p "$port" --bindOnly -b "uid=user[0-9999],ou=people,$BASE" -f "(objectClass=*)" -C password) ;;
    esac
    c0=$(ticks "$pid")
    java -cp "$JAR" "com.unboundid.ldap.sdk.examples.${cmd[0]}" "${cmd[@]:1}" -t "$t" "${COMMON[@]}" \
      > "$W/$name-$test-t$t.log" 2>&1 || true
    c1=$(ticks "$pid")
    read -r ops ms < <(grep -E '^ +[0-9.]+( +[0-9.]+){4,5} *$' "$W/$name-$test-t$t.log" | tail -1 |
                       awk '{print $(NF-1), $NF}') || { ops=0; ms="?"; }
    cpu=$(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" -v o="$ops" -v s="$((INTERVAL * 5))" \
          'BEGIN { if (b > a && o > 0) printf "%.1f", (b - a) / hz * 1e6 / (o * s); else print "-" }')
    echo "| $name | $test | $t | $ops | $ms | $cpu |" | tee -a "$SUMMARY"
  done; done
}

# JIT warm-up for the JVM gateway, discarded.
java -cp "$JAR" com.unboundid.ldap.sdk.examples.SearchRate -h 127.0.0.1 -p $GW_PORT -b "$BASE" -s sub \
  -f "(uid=user[0-9999])" "${NSS[@]}" -t 8 -i 5 -I 2 --timestampFormat none >/dev/null 2>&1 || true
java -cp "$JAR" com.unboundid.ldap.sdk.examples.AuthRate -h 127.0.0.1 -p $GW_PORT --bindOnly \
  -b "uid=user[0-9999],ou=people,$BASE" -f "(objectClass=*)" -C password -t 8 -i 5 -I 2 --timestampFormat none >/dev/null 2>&1 || true

for ((r = 1; r <= ROUNDS; r++)); do    # alternate the order each round
  if (( r % 2 )); then bench slapd "$SLAPD_PORT" "$SLAPD_PID"; bench gateway "$GW_PORT" "$GW_PID"
  else                 bench gateway "$GW_PORT" "$GW_PID"; bench slapd "$SLAPD_PORT" "$SLAPD_PID"
  fi
done
LATENCY_SECONDS=${LATENCY_SECONDS:-20}
if [ "$LATENCY_SECONDS" -gt 0 ]; then
  {
    echo
    echo "| target | test | threads | ops/s | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | errors |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
  } >> "$SUMMARY"
  latency() {  # name port
    local t test
    for t in $THREADS; do for test in search bind; do
      java -cp "$JAR" "$root/ldap-gateway/bench/LdapLatency.java" "$2" "$BASE" "$test" "$t" 5 "$LATENCY_SECONDS" "$USERS" |
        awk -v n="$1" '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", n, $1, $2, $3, $4, $5, $6, $7, $8, $9 }' |
        tee -a "$SUMMARY"
    done; done
  }
  latency slapd "$SLAPD_PORT"; latency gateway "$GW_PORT"
fi
echo; cat "$SUMMARY"
