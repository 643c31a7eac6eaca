#!/usr/bin/env bash
# The Debian package on a Raspberry Pi's architecture and Debian release, in a root of that architecture run under
# emulation on this machine (qemu-user-static + binfmt_misc; the root is made once by emulated-root.sh): the package
# installed as a user does (apt-get install ./mqtts-scale_*.deb, which pulls in that release's JRE), postinst's
# class-data archive made by that JRE, the groups and udev rules a Pi without Raspberry Pi OS lacks, the unit
# verified by that root's systemd-analyze, the service started as the unit starts it (the launcher as user
# mqtts-scale with its environment file and umask: systemd cannot boot under qemu-user) with the simulated HX711
# on the SPI wiring, publishing over TLS to a Mosquitto on this machine, a tare saving the calibration, readings
# kept while the broker is away; "scale.sensor: hx711" on GPIO and SPI wiring saying what is missing; an upgrade
# keeping configuration, calibration and kept readings; a purge removing all.
# Times taken here are emulation's, many times a Pi's: never report them as a Pi's.
#
# Every start of a JVM costs minutes under emulation, so --essential leaves out the checks of "mqtts-scale check" that
# x86 tests cover as well (the SPI wiring without /dev/spidev0.0, a GPIO chip only root may open): what is left is
# what only a Pi's architecture can show.
#
# Usage (as root): emulated.sh [--essential] <arm64|armhf> <trixie|bookworm> target/mqtts-scale_<version>_all.deb
#                  [work folder]
# Run by DebPackageIT (--essential arm64 trixie, every ./mvnw verify) and DebPackagePiRootsIT (armhf trixie, arm64
# bookworm: ./mvnw -Ppi-roots verify). Needs root, debootstrap, qemu-user-static, binfmt-support, mosquitto, openssl,
# curl, python3.
set -euo pipefail

fail_setup() {
    echo "emulated: cannot run: $*" >&2
    exit 2
}
ESSENTIAL=false
if [ "${1:-}" = --essential ]; then
    ESSENTIAL=true
    shift
fi
[ $# -ge 3 ] || fail_setup "usage: $0 [--essential] <arm64|armhf> <suite> <package.deb> [work folder]"
ARCH=$1
SUITE=$2
DEB=$(realpath "$3")
WORK=$(realpath -m "${4:-$(dirname "$DEB")/deb-test-$SUITE-$ARCH}")
[ -f "$DEB" ] || fail_setup "no package at $DEB: build it first (./mvnw -B -pl :mqtts-scale -am package -DskipTests)"
[ "$(id -u)" = 0 ] || fail_setup "needs root (debootstrap, chroot, mount); run as root, or skip integration tests with -DskipITs"
for tool in dpkg-deb chroot mount mosquitto mosquitto_sub mosquitto_pub openssl python3 curl; do
    command -v "$tool" >/dev/null || fail_setup "$tool is missing: apt-get install mosquitto mosquitto-clients openssl python3 curl"
done
HERE=$(dirname "$(realpath "$0")")
TARBALL=$(bash "$HERE/emulated-root.sh" "$ARCH" "$SUITE")
ROOT=$WORK/root
PKG=mqtts-scale
ETC=/etc/mqtts-scale
DATA=/var/lib/mqtts-scale
UNIT=/lib/systemd/system/mqtts-scale.service
RULES=/lib/udev/rules.d/60-mqtts-scale.rules
CDS_DIR=/var/cache/mqtts-scale/app

SERVICE=
BROKER=
HEALTH_WATCH=
cleanup() {
    for pid in $HEALTH_WATCH $SERVICE $BROKER; do
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    HEALTH_WATCH=
    SERVICE=
    BROKER=
    if mountpoint -q "$ROOT/proc" 2>/dev/null; then
        umount "$ROOT/proc"
    fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT   # stopped: the EXIT trap stops the scale and the broker
cleanup
rm -rf --one-file-system "$ROOT"
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$TARBALL"
rm -rf "$ROOT/run/systemd/system"   # systemd is not PID 1 in the root: the maintainer scripts take that branch
mount -t proc proc "$ROOT/proc"     # the JVM and apt need /proc
in_root() { chroot "$ROOT" "$@"; }

# ---- checks ----------------------------------------------------------------------------------
. "$HERE/checks.sh"
apt_in_root() { # apt-get as a user runs it, answering as --force-confold / 'N' does for changed conffiles
    in_root env DEBIAN_FRONTEND=noninteractive apt-get -y -o Dpkg::Options::=--force-confold "$@" </dev/null \
        >"$WORK/apt.log" 2>&1 || { tail -30 "$WORK/apt.log" | sed 's/^/       | /'; return 1; }
}
CHECK_OUT=$WORK/check.out
run_check() { in_root runuser -u mqtts-scale -- mqtts-scale check --scale.hx711.rate=80 "$@" >"$CHECK_OUT" 2>&1; }
says() { grep -q -- "$2" "$1" || { echo "       it said:"; grep -v '^\s*at ' "$1" | tail -20 | sed 's/^/       | /'; return 1; }; }
check_says() { says "$CHECK_OUT" "$1"; }
plain() { # no Java failure shown to the user: no UnsatisfiedLinkError, no stack trace
    ! grep -q -E 'UnsatisfiedLinkError|^\s+at [a-z]|Exception in thread' "$1" \
        || { grep -n -E 'UnsatisfiedLinkError|Exception|^\s+at ' "$1" | head -5 | sed 's/^/       | /'; return 1; }
}
no_missing_library() { # the native parts Pi4J and the JVM load under emulation were found
    ! grep -q -E 'UnsatisfiedLinkError|NoClassDefFoundError|java\.library\.path' "$1" \
        || { grep -n -E 'UnsatisfiedLinkError|NoClassDefFoundError|java\.library\.path' "$1" | head -5 | sed 's/^/       | /'; return 1; }
}
sums() { (cd "$ROOT" && find "${1#/}" -type f -print0 | sort -z | xargs -0 -r md5sum); }

# ---- a TLS broker on this machine: the root shares its network, so the scale reaches it at localhost ---------
PKI=$WORK/pki
mkdir -p "$PKI"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=mqtts-scale test CA" -keyout "$PKI/ca.key" \
    -out "$PKI/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$PKI/server.key" -out "$PKI/server.csr" 2>/dev/null
openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial -days 2 \
    -extfile <(printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n') \
    -out "$PKI/server.pem" 2>/dev/null
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$PKI/mosquitto.conf" <<CONF
user root
listener $PORT 127.0.0.1
allow_anonymous true
cafile $PKI/ca.pem
certfile $PKI/server.pem
keyfile $PKI/server.key
persistence false
CONF
start_broker() {
    mosquitto -c "$PKI/mosquitto.conf" >>"$WORK/mosquitto.log" 2>&1 &
    BROKER=$!
    for _ in $(seq 50); do
        mosquitto_pub -h localhost -p "$PORT" --cafile "$PKI/ca.pem" -t probe -m . 2>/dev/null && return 0
        sleep 0.2
    done
    fail_setup "Mosquitto did not start (log: $WORK/mosquitto.log)"
}
stop_broker() { kill "$BROKER"; wait "$BROKER" || true; BROKER=; }
sub() { mosquitto_sub -h localhost -p "$PORT" --cafile "$PKI/ca.pem" "$@"; }

# ---- the service as its unit runs it: ExecStart as User/Group (and the groups of that user), EnvironmentFile
# (read as root, as systemd does), UMask, working folder /. Its output: $WORK/service-<n>.log
SERVICE_RUNS=0
start_service() {
    SERVICE_RUNS=$((SERVICE_RUNS + 1))
    SERVICE_LOG=$WORK/service-$SERVICE_RUNS.log
    : >"$SERVICE_LOG"
    # chroot itself in the background (not the function in_root, whose subshell would be what $! names and
    # SIGTERM stops, leaving the JVM running): chroot, env, sh, setpriv and the launcher exec one another, so
    # $SERVICE is the JVM's process.
    chroot "$ROOT" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        HOME=$DATA USER=mqtts-scale LOGNAME=mqtts-scale SHELL=/usr/sbin/nologin \
        sh -c "set -a; [ ! -r $ETC/secrets.env ] || . $ETC/secrets.env; set +a; umask $(unit_value UMask); cd /; exec setpriv --reuid=mqtts-scale --regid=mqtts-scale --init-groups $(unit_value ExecStart) \"\$@\"" \
        mqtts-scale "$@" >"$SERVICE_LOG" 2>&1 &
    SERVICE=$!
}
unit_value() { sed -n "s/^$1=//p" "$ROOT$UNIT" | head -1; }
service_log_says() { # waits, at most $2 seconds, for the service to log $1
    for _ in $(seq "${2:-300}"); do
        grep -q -- "$1" "$SERVICE_LOG" && return 0
        kill -0 "$SERVICE" 2>/dev/null || break
        sleep 1
    done
    echo "       the service did not say '$1'; it said:"
    grep -v '^\s*at ' "$SERVICE_LOG" | tail -15 | sed 's/^/       | /'
    return 1
}
stop_service() { # SIGTERM, as systemctl stop; the JVM exits 143 (SuccessExitStatus)
    local rc=0
    kill -TERM "$SERVICE" 2>/dev/null || true
    wait "$SERVICE" || rc=$?
    SERVICE=
    [ "$rc" = 143 ] || [ "$rc" = 0 ] || { echo "       the service exited $rc"; return 1; }
}

# ---- the second build: a higher version ---------------------------------------------------------
# the jar and jvm.options as they are: the class cache is kept (lifecycle.sh has a build that changes them and the
# cache made again; its training run under emulation would cost minutes here)
second_build
cp "$DEB" "$ROOT/tmp/mqtts-scale_${V1}_all.deb"
cp "$WORK/v2.deb" "$ROOT/tmp/mqtts-scale_${V2}_all.deb"

echo "# $ARCH $SUITE under emulation (qemu-user-static), a root as a fresh Pi has it: no gpio or spi group"
check "the root is $ARCH" is "$(in_root dpkg --print-architecture)" "$ARCH"
check "the package is for every architecture (Architecture: all)" is "$(dpkg-deb -f "$DEB" Architecture)" all
check "no group gpio or spi yet (plain Debian)" bash -c "! chroot '$ROOT' getent group gpio spi >/dev/null"
started=$SECONDS
check "apt-get install ./mqtts-scale_${V1}_all.deb installs it with its dependencies" \
    apt_in_root install "/tmp/mqtts-scale_${V1}_all.deb"
echo "       (apt-get install took $((SECONDS - started)) s under emulation)"
check "installed: $V1" is "$(status)" "install ok installed $V1"
JAVA_VERSION=$(in_root java -version 2>&1 | head -1)
echo "       the root's Java: $JAVA_VERSION"
check "  ... with the release's JRE ($(in_root readlink -f /usr/bin/java))" in_root java -version
check "postinst prepared the fast start with that JRE: extracted jar and class cache" \
    bash -c "[ -s '$ROOT$CDS_DIR/mqtts-scale.jar' ] && { [ -s '$ROOT$CDS_DIR/mqtts-scale.jsa' ] || [ -s '$ROOT$CDS_DIR/mqtts-scale.aot' ]; }"
check "  ... and said nothing about failing" bash -c "! grep -q 'could not prepare\|no class cache' '$WORK/apt.log'"
check "group gpio made, a system group" system_group gpio
check "group spi made, a system group" system_group spi
check "the service user is in group gpio" in_group mqtts-scale gpio
check "  ... and in group spi" in_group mqtts-scale spi
check "udev rules $RULES, 644 root" is "$(mode_owner $RULES)" "644 root:root"
check "  ... /dev/gpiochip* to group gpio, 0660" contains $RULES 'SUBSYSTEM=="gpio", KERNEL=="gpiochip\*", GROUP="gpio", MODE="0660"'
check "  ... /dev/spidev* to group spi, 0660" contains $RULES 'SUBSYSTEM=="spidev", KERNEL=="spidev\*", GROUP="spi", MODE="0660"'
if in_root test -x /usr/bin/udevadm; then
    check "  ... which the root's udevadm accepts" bash -c "chroot '$ROOT' udevadm verify $RULES >'$WORK/udevadm.out' 2>&1 || { sed 's/^/       | /' '$WORK/udevadm.out'; exit 1; }"
fi
unit_verifies() { # the root's own systemd-analyze (under emulation): no output at all
    local out
    out=$(in_root systemd-analyze verify "$UNIT" 2>&1) && [ -z "$out" ] || { echo "$out" | sed 's/^/       | /'; return 1; }
}
check "systemd-analyze verify (the root's $(in_root systemd-analyze --version | head -1 | cut -d' ' -f1,2)): nothing to say about the unit" unit_verifies

echo "# scale.sensor: hx711 without a Pi's devices says what is missing"
run_check || true
check "mqtts-scale check, GPIO wiring: no GPIO chip" check_says "No GPIO chip (/dev/gpiochip\*)"
check "  ... in plain words" plain "$CHECK_OUT"
if ! $ESSENTIAL; then
    run_check --scale.hx711.wiring=spi || true
    check "mqtts-scale check, SPI wiring: no /dev/spidev0.0, SPI is off, how to turn it on" check_says "No /dev/spidev0.0: SPI is off. Turn it on"
    check "  ... in plain words" plain "$CHECK_OUT"
fi

echo "# the GPIO wiring on a machine too slow for it (emulation): check measures it and recommends the SPI wiring"
run_check --scale.sensor=simulated || true
check "mqtts-scale check, simulated HX711 on the GPIO wiring: this machine cannot keep the clock pulse" check_says "this machine cannot keep the HX711's clock pulse under the chip's limit"
check "  ... use the SPI wiring, with the pins to move" check_says "Use the spi wiring"
check "  ... in plain words" plain "$CHECK_OUT"

if ! $ESSENTIAL; then
    echo "# a Pi without Raspberry Pi OS: a GPIO chip root's alone (no udev here applied the package's rule)"
    : >"$ROOT/dev/gpiochip0"   # a plain file stands in for the chip: the check lists /dev/gpiochip* and tries to open it
    chown 0:0 "$ROOT/dev/gpiochip0"
    chmod 600 "$ROOT/dev/gpiochip0"
    run_check || true
    check "mqtts-scale check: the chip is root's alone" check_says "User mqtts-scale may not open /dev/gpiochip0: /dev/gpiochip0 is root:root rw-------"
    check "  ... and udev must apply the package's rule: the commands" check_says "sudo udevadm control --reload-rules; sudo udevadm trigger --action=change --subsystem-match=gpio (or reboot), which applies the package's rule $RULES"
    check "  ... nothing about groups: the package made them" bash -c "! grep -q 'groupadd\|usermod' '$CHECK_OUT'"
    in_root chgrp gpio /dev/gpiochip0
    chmod 660 "$ROOT/dev/gpiochip0"
    run_check || true
    # (Pi4J stops at the unknown board model, before loading its gpiod library: that library's loading is not shown here)
    check "as the rule makes it (group gpio, 660) the service user gets past the access check to Pi4J" check_says "Cannot open the GPIO lines"
    check "  ... which says in plain words that it cannot use the chip" plain "$CHECK_OUT"
    rm -f "$ROOT/dev/gpiochip0"
fi

echo "# the service: two simulated HX711s, one on the SPI wiring publishing to Mosquitto on this machine over TLS,"
echo "# one on the GPIO wiring, which emulation cannot clock in time: the scale says so and recommends the SPI wiring"
cp "$PKI/ca.pem" "$ROOT$ETC/ca.pem"
WEB_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >>"$ROOT$ETC/application.yaml" <<SETTINGS
scale.sensor: simulated
scale.mqtt.url: ssl://localhost:$PORT
scale.mqtt.ca: $ETC/ca.pem
scale.publish.heartbeat: 2s
scale.hx711.too-slow-after: 20s
server.port: $WEB_PORT
scale.scales:
  - device-id: spi-scale
    hx711: { wiring: spi }
  - device-id: gpio-scale
    hx711: { wiring: gpio, data-pin: 17, clock-pin: 27 }
SETTINGS
start_broker
sub -t 'scale/spi-scale/weight' -C 1 -W 900 -v >"$WORK/weight.txt" 2>&1 &
SUB=$!
started=$SECONDS
start_service
check "the service starts (the unit's ExecStart as mqtts-scale, umask $(unit_value UMask), secrets.env)" service_log_says "Started ScaleApplication" 900
echo "       (started in $((SECONDS - started)) s under emulation)"
check "  ... from the prepared jar and class cache" bash -c "! grep -q 'was not made for this jar' '$SERVICE_LOG'"
health() { # health as JSON in $1, with the web password postinst's first start generated
    curl -s -m 120 -u "admin:$(cat "$ROOT$DATA/web-password")" "http://127.0.0.1:$WEB_PORT/actuator/health" >"$1" \
        || { echo "       no answer from http://127.0.0.1:$WEB_PORT/actuator/health"; return 1; }
}
# its first answer takes seconds under emulation (a cold JVM): asked once now, later ones are answered at once
check "  ... and health answers, with the web password postinst's first start generated" health "$WORK/health.json"
# From here, health every second until it showed too-slow-for-gpio: the verdict is true to what its window measured,
# and can end once the emulated JVM has compiled the GPIO path and most clock pulses come in time again.
mkdir -p "$WORK/health"
(while :; do
    answer=$WORK/health/$(date +%s%N).json
    health "$answer.tmp" && mv "$answer.tmp" "$answer" || true
    sleep 1
done) >/dev/null 2>&1 &
HEALTH_WATCH=$!
check "a weight from the simulated HX711 on the SPI wiring arrives at the broker over TLS" wait "$SUB"
echo "       $(cat "$WORK/weight.txt")"
mosquitto_pub -h localhost -p "$PORT" --cafile "$PKI/ca.pem" -q 1 -t "scale/spi-scale/command" -m '{"command":"tare"}'
calibrated() {
    for _ in $(seq 120); do
        [ -s "$ROOT$DATA/spi-scale/calibration.properties" ] && return 0
        sleep 1
    done
    return 1
}
check "a tare over MQTT saves the calibration in $DATA/spi-scale" calibrated
TOO_SLOW="cannot keep the HX711's clock pulse under the chip's limit"
check "the GPIO wiring, clocked too slowly here: the log says this machine $TOO_SLOW" service_log_says "$TOO_SLOW" 300
check "  ... and that the SPI wiring fixes it, with the pins to move" service_log_says "scale.hx711.wiring: spi" 1
sed -n "/$TOO_SLOW/p" "$SERVICE_LOG" | head -1 | cut -c1-400 | sed 's/^/       | /'
too_slow_in_health() { # in health's sensor details since the service started: the problem for gpio-scale alone
    local verdict
    for _ in $(seq 60); do
        verdict=0
        python3 - "$WORK/health" <<'PYTHON' || verdict=$?
import json, pathlib, sys
answers = sorted(pathlib.Path(sys.argv[1]).glob("*.json"))
def too_slow(answer, scale):
    try:
        details = json.loads(answer.read_text())["components"]["sensor"]["details"]
    except (ValueError, KeyError):
        return False  # not health's JSON (the scale was busy starting a route, say): the next answer tells
    return "too-slow-for-gpio" in details.get(scale, {}).get("problems", {})
spi = [a for a in answers if too_slow(a, "spi-scale")]
if spi:
    print("       spi-scale has it too:", spi[0].read_text()[:800])
    sys.exit(2)
gpio = [a for a in answers if too_slow(a, "gpio-scale")]
if gpio:
    print(f"       in {len(gpio)} of {len(answers)} answers so far, one a second")
    sys.exit(0)
sys.exit(1)
PYTHON
        [ "$verdict" = 1 ] || return "$verdict"
        sleep 1
    done
    echo "       not in any of health's answers; the last: $(cat "$(ls "$WORK/health/"*.json | tail -1)" | cut -c1-800)"
    return 1
}
check "  ... and health's sensor details: too-slow-for-gpio, for gpio-scale alone" too_slow_in_health
kill "$HEALTH_WATCH" 2>/dev/null || true
wait "$HEALTH_WATCH" 2>/dev/null || true
HEALTH_WATCH=
stop_broker
outbox_kept() { # readings kept while the broker is away
    for _ in $(seq 120); do
        [ -n "$(find "$ROOT$DATA" -path '*/outbox/*' -type f -size +0 2>/dev/null)" ] && return 0
        sleep 1
    done
    return 1
}
check "with the broker away, readings are kept in $DATA" outbox_kept
sleep 5   # a few more readings
check "the service stops cleanly on SIGTERM" stop_service
# (not plain: on a saturated machine the simulated chip can miss a poll's 1 s deadline, which Camel logs with its trace)
check "  ... and said nothing of a missing library" no_missing_library "$SERVICE_LOG"

echo "# upgrade to $V2 with apt-get"
echo "SCALE_MQTT_PASSWORD=s3cret" >>"$ROOT$ETC/secrets.env"
CALIBRATION=$(sums $DATA | grep calibration.properties)
KEPT=$(sums $DATA | grep /outbox/)
check "  (there are kept readings to keep)" test -n "$KEPT"
check "apt-get install ./mqtts-scale_${V2}_all.deb upgrades it" apt_in_root install "/tmp/mqtts-scale_${V2}_all.deb"
check "installed: $V2" is "$(status)" "install ok installed $V2"
check "the changed application.yaml is kept" contains $ETC/application.yaml "device-id: spi-scale"
check "  ... and the new version's beside it" contains $ETC/application.yaml.dpkg-dist "(second build)"
check "the secret is kept" contains $ETC/secrets.env "SCALE_MQTT_PASSWORD=s3cret"
check "the calibration is kept, unchanged" is "$(sums $DATA | grep calibration.properties)" "$CALIBRATION"
check "the kept readings are kept, unchanged" is "$(sums $DATA | grep /outbox/)" "$KEPT"
check "the class cache kept: made for the same jar, jvm.options and JDK" says "$WORK/apt.log" "mqtts-scale prepare: the class cache in $CDS_DIR is this jar's, jvm.options' and JDK's already: kept"
check "still in groups gpio and spi" bash -c "chroot '$ROOT' id -nG mqtts-scale | tr ' ' '\n' | grep -c -x -e gpio -e spi | grep -qx 2"
echo "# purge"
check "apt-get purge removes it" apt_in_root purge $PKG
check "not installed" is "$(status)" "unknown"
check "$ETC gone" absent $ETC
check "$DATA (calibration, kept readings) gone" absent $DATA
check "/var/cache/mqtts-scale gone" absent /var/cache/mqtts-scale
check "the udev rules gone" absent $RULES
check "user mqtts-scale gone" bash -c "! chroot '$ROOT' getent passwd mqtts-scale >/dev/null"
check "groups gpio and spi stay (others may be in them now)" bash -c "chroot '$ROOT' getent group gpio spi >/dev/null"

cleanup
echo "emulated $ARCH $SUITE$($ESSENTIAL && echo " (essential)"): $passed checks passed, $failed failed, in ${SECONDS} s (under emulation)"
if [ "$failed" = 0 ]; then
    rm -rf --one-file-system "$ROOT" # kept when a check failed, to look into
fi
[ "$failed" = 0 ]
