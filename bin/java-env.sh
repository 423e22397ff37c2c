# Sourced by bin/ scripts and .ci/run: exports JAVA_HOME pointing at the newest JDK >= 21.
# The machine's default java may be 17; Maven and the tests need 21 or newer.

java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 25), or nothing.
  local home=$1
  [ -x "$home/bin/javac" ] || return 0
  "$home/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

find_jdk() {
  local best="" best_major=0 candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -n "$candidate" ] && [ -d "$candidate" ] || continue
    major=$(java_major "$candidate")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate best_major=$major
    fi
  done
  [ -n "$best" ] || return 1
  printf '%s\n' "$(cd "$best" && pwd -P)"
}

if ! JAVA_HOME=$(find_jdk); then
  echo "proxplane needs a JDK 21 or newer (javac included); none found in \$JAVA_HOME or /usr/lib/jvm." >&2
  echo "On Debian: apt-get install openjdk-21-jdk-headless (or any newer JDK)." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8's bundled Guava calls sun.misc.Unsafe, which JDK 24+ warns about on every build;
# allow it for Maven's own JVM only (the project's code does not use it).
if [ "$(java_major "$JAVA_HOME")" -ge 24 ]; then
  case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
  esac
fi
