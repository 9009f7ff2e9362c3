#!/bin/sh
# Start script of the SNAP demo image (docker/snap-demo/Dockerfile): a socat pty pair in /tmp (a tmpfs in
# compose.yaml; ptys and links need no exec), the SNAP network simulator on one end, the broker's bridge on the
# other. PID 1: SIGTERM/SIGINT go to the broker, which stops gracefully; then the simulator and socat are stopped.
set -eu
dir=${SNAP_DEMO_DIR:-/tmp/snap}
jar=/opt/squall/squall.jar
mkdir -p "$dir"
rm -f "$dir/bridge" "$dir/mesh"

socat "pty,raw,echo=0,link=$dir/bridge" "pty,raw,echo=0,link=$dir/mesh" &
socat=$!
i=0
while [ ! -e "$dir/bridge" ] || [ ! -e "$dir/mesh" ]; do
  i=$((i + 1))
  [ "$i" -le 200 ] || { echo "snap-demo: socat made no pty pair" >&2; exit 1; }
  kill -0 "$socat" 2>/dev/null || { echo "snap-demo: socat exited" >&2; exit 1; }
  sleep 0.05
done

# a small JVM for the simulator; the broker keeps most of the container's memory
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx32m -XX:-UsePerfData -cp "$jar" \
    io.squall.snap.sim.SnapSimulator "$dir/mesh" "$SNAP_DEMO_NODES" "$SNAP_DEMO_PERIOD_MS" &
sim=$!

echo "snap-demo: simulated SNAP network of $SNAP_DEMO_NODES nodes on $dir/mesh; the broker's bridge reads $dir/bridge"
echo "snap-demo: live SNAP page at http://localhost:${SQUALL_PUBLIC_PORT:-8080}/snap/ (the port this container publishes)"
java -XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData \
    -DjSerialComm.library.path=/opt/squall/lib -jar "$jar" \
    --snap.port="$dir/bridge" --snap.public.functions=setLed "$@" &
broker=$!

stop() { kill -TERM "$broker" 2>/dev/null || true; }
trap stop TERM INT
status=0
wait "$broker" || status=$?
# a trapped signal ends the first wait early: wait again for the broker's graceful stop
if kill -0 "$broker" 2>/dev/null; then
  status=0
  wait "$broker" || status=$?
fi
kill -TERM "$sim" "$socat" 2>/dev/null || true
wait 2>/dev/null || true
exit "$status"
