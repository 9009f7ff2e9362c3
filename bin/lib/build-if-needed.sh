# Sourced by bin/squall and bin/squall-snap-demo: sets JAVA_HOME to a JDK >= 21 and builds the server jar when it
# is missing or older than the sources, saying so (the first build takes about a minute).
# SQUALL_JAR names a server jar to run as it is, never rebuilt (a packaged one; the tests' freshly built one).
JAVA_HOME=$(bin/java-home)
export JAVA_HOME
jar=${SQUALL_JAR:-broker-server/target/broker-server.jar}
if [ -n "${SQUALL_JAR:-}" ]; then
  [ -f "$jar" ] || { echo "SQUALL_JAR=$jar: no such file" >&2; exit 1; }
elif [ ! -f "$jar" ] || [ -n "$(find pom.xml broker-core broker-redis broker-snap-bridge broker-services broker-api broker-server -newer "$jar" -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.xml' -o -name '*.html' -o -name '*.js' \) -not -path '*/target/*' -print -quit)" ]; then
  if [ -f "$jar" ]; then
    echo "Sources changed since the last build: rebuilding Squall (about 30 s)..." >&2
  else
    echo "First run: building Squall with $JAVA_HOME (Maven and the dependencies are downloaded once; about a minute)..." >&2
  fi
  # Maven's own libraries trip JDK 24+'s warnings about sun.misc.Unsafe: noise for someone who only runs the broker
  major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" | head -n1)
  if [ "${major:-0}" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
  ./mvnw -B -q -DskipTests package
  echo "Built $jar." >&2
fi
# the scripts' own variables, not the broker's: it refuses SQUALL_* variables it does not know
unset SQUALL_JAR SQUALL_JVM_DIR
