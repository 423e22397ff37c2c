#!/bin/sh
# proxplane Terraform/OpenTofu provider launcher. Terraform runs this file with no arguments;
# stdout must carry only the plugin handshake, so the JVM's own messages go to stderr.
# PROXPLANE_TF_PROTOCOLS=5 or 6 offers only that plugin protocol; PROXPLANE_TF_ARCHIVE=off
# disables the start-up archive.
# A failure before the handshake: the CLI shows stderr only in its debug log but quotes a stdout
# line that is not a handshake ("Unrecognized remote plugin message: ..."), so say it there too.
fail() {
  echo "proxplane provider cannot start: $1" >&2
  echo "proxplane provider cannot start: $1"
  exit 1
}

self=$0
[ -L "$self" ] && self=$(readlink -f "$self")
lib=$(cd "$(dirname "$self")" && pwd -P)/lib

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java=$JAVA_HOME/bin/java
else
  java=$(command -v java 2>/dev/null || true)
fi
if [ -z "$java" ]; then
  fail "no Java found; install a Java 21+ runtime (e.g. openjdk-21-jre-headless) or set JAVA_HOME"
fi

release_major() { [ -r "$1/release" ] && sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"; }
home=$(dirname "$(dirname "$(readlink -f "$java")")")
major=$(release_major "$home")
# The provider needs Java 21+. Many machines default to 17: then take the newest runtime >= 21
# installed in the usual places rather than fail on a class-version error.
if [ "${major:-0}" -lt 21 ]; then
  best=
  best_major=0
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$candidate/bin/java" ] || continue
    m=$(release_major "$candidate")
    if [ "${m:-0}" -ge 21 ] && [ "${m:-0}" -gt "$best_major" ]; then best=$candidate best_major=$m; fi
  done
  if [ -z "$best" ]; then
    fail "$java is Java ${major:-unknown}; the provider needs Java 21+ (set JAVA_HOME or install openjdk-21-jre-headless)"
  fi
  java=$best/bin/java
  home=$(cd "$best" && pwd -P)
  major=$best_major
fi
# Use the trained archive only with the runtime that trained it (lib/archive.jdk).
# MetaspaceSize: the default threshold triggers a ~0.1 s full GC during start-up. -UsePerfData: no
# hsperfdata file per launch (jps/jstat cannot list the provider; jcmd still works).
# build-package.sh trains the archive with these same flags: change both together.
# grpc's netty uses sun.misc.Unsafe and native access; newer JDKs warn unless told it is wanted.
jdk_flags=
[ "${major:-0}" -ge 24 ] && jdk_flags="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
archive_flags=
if [ "${PROXPLANE_TF_ARCHIVE:-on}" != off ] && [ -r "$lib/archive.jdk" ]; then
  if [ -r "$home/release" ]; then
    id=$(grep -E '^(JAVA_VERSION|IMPLEMENTOR|JAVA_RUNTIME_VERSION)=' "$home/release" | tr -d '"' | sort | tr '\n' ' ')
    read -r kind file trained < "$lib/archive.jdk"
    if [ "$trained " = "$id" ] || [ "$trained" = "$id" ]; then
      case $kind in
        aot) archive_flags="-XX:AOTCache=$lib/$file" ;;
        cds) archive_flags="-XX:SharedArchiveFile=$lib/$file" ;;
      esac
    fi
  fi
fi

# exec: the JVM replaces the shell, so go-plugin's SIGKILL reaches it and no orphan holds the pipes.
exec "$java" -Xlog:disable -Xlog:all=warning:stderr $jdk_flags $archive_flags \
  -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MetaspaceSize=128m -Xss512k -Xms32m -XX:-UsePerfData -Djava.awt.headless=true \
  -cp "$lib/proxplane-terraform-provider.jar" io.proxplane.terraform.Main
