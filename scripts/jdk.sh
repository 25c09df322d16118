# Sourced by the scripts: run Maven itself on the newest installed JDK >= 21 when there is one.
# Compilation and tests pick a JDK >= 21 through maven-toolchains-plugin in any case, but Maven's
# own JVM must be >= 21 too: the jar plugin reads the (Java 21) module-info of the modular jars
# with the running JDK's jar tool, which JDK 17 cannot do.
pick_jdk() {
  local best="" best_version=0 dir version
  for dir in /usr/lib/jvm/* /opt/java/* "${HOME:-/root}"/.sdkman/candidates/java/*; do
    [ -x "$dir/bin/javac" ] || continue
    version=$("$dir/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    version=${version%%.*}
    if [ -n "$version" ] && [ "$version" -ge 21 ] && [ "$version" -gt "$best_version" ]; then
      best="$dir"; best_version="$version"
    fi
  done
  if [ -n "$best" ]; then
    export JAVA_HOME="$best"
    # Maven 3.8's Guava uses sun.misc.Unsafe, which JDK 24+ warns about unless allowed.
    if [ "$best_version" -ge 24 ]; then
      export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
    fi
  fi
}
if [ -z "${JAVA_HOME:-}" ] || ! "${JAVA_HOME}/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  pick_jdk
fi
