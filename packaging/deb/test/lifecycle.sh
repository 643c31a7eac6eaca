#!/usr/bin/env bash
# The Debian package's life in a real Debian root: install, upgrade to a second build with a higher
# version, remove, purge, install again. Checks files, modes, the service user, the data folder,
# that configuration and calibration survive the upgrade and are gone after purge, that secrets.env is
# root's alone after every install and upgrade, that the extracted jar and class-data archive are root's
# (made again when the JDK changes), that the launcher runs "mqtts-scale check" as the service user with
# the installed configuration, and that "systemd-analyze verify" finds nothing to say about the unit.
# Then the root boots with systemd (systemd-nspawn) and the scale starts, restarts on an upgrade and stops
# under its hardened unit, whose "systemd-analyze security" exposure must be 2.0 or less.
#
# Usage (as root): lifecycle.sh target/mqtts-scale_<version>_all.deb [work folder]
# Run by DebPackageIT (./mvnw verify). Needs root, debootstrap, systemd-analyze, systemd-nspawn and Debian's package
# archive. The Debian root (bookworm minbase + openjdk-17-jre-headless + systemd for its units) is
# made once per machine and kept as a tar file in $MQTTS_SCALE_ROOT_CACHE (/var/cache/mqtts-scale-test).
# First no systemd runs in the root (chroot), so the maintainer scripts take their "systemd not
# running" branch (deb-systemd-helper still enables the unit through its symlink); then it boots.
set -euo pipefail

fail_setup() {
    echo "lifecycle: cannot run: $*" >&2
    exit 2
}

[ $# -ge 1 ] || fail_setup "usage: $0 <package.deb> [work folder]"
DEB=$(realpath "$1")
WORK=$(realpath -m "${2:-$(dirname "$DEB")/deb-test}")
HERE=$(dirname "$(realpath "$0")")
[ -f "$DEB" ] || fail_setup "no package at $DEB: build it first (./mvnw -B -pl :mqtts-scale -am package -DskipTests)"
[ "$(id -u)" = 0 ] || fail_setup "needs root (debootstrap, chroot, mount); run as root, or skip integration tests with -DskipITs"
for tool in debootstrap dpkg-deb systemd-analyze systemd-nspawn nsenter chroot mount; do
    command -v "$tool" >/dev/null || fail_setup "$tool is missing: apt-get install debootstrap systemd systemd-container"
done

SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
INCLUDE=openjdk-17-jre-headless,systemd
CACHE=${MQTTS_SCALE_ROOT_CACHE:-/var/cache/mqtts-scale-test}
TARBALL=$CACHE/$SUITE-minbase-$(echo "$INCLUDE" | md5sum | cut -c1-8).tar
ROOT=$WORK/root
PKG=mqtts-scale
ETC=/etc/mqtts-scale
DATA=/var/lib/mqtts-scale
UNIT=/lib/systemd/system/mqtts-scale.service
CACHE_DIR=/var/cache/mqtts-scale      # the extracted jar and its class-data archive (mqtts-scale prepare, as root)
CDS_DIR=$CACHE_DIR/app

# ---- the Debian root, made once ------------------------------------------------------------------
mkdir -p "$CACHE"
(
    flock 9
    if [ ! -f "$TARBALL" ]; then
        echo "lifecycle: making the Debian root once (debootstrap $SUITE, about 2 minutes) into $TARBALL"
        building=$CACHE/building
        rm -rf --one-file-system "$building"
        debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$building" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
            || { tail -20 "$CACHE/debootstrap.log" >&2; fail_setup "debootstrap failed (log: $CACHE/debootstrap.log)"; }
        tar -C "$building" -cf "$TARBALL.tmp" .
        mv "$TARBALL.tmp" "$TARBALL"
        rm -rf --one-file-system "$building"
    fi
) 9>"$CACHE/.lock"

NSPAWN=
cleanup() {
    if [ -n "$NSPAWN" ] && kill -0 "$NSPAWN" 2>/dev/null; then
        kill "$NSPAWN"
        wait "$NSPAWN" || true
    fi
    if mountpoint -q "$ROOT/proc" 2>/dev/null; then
        umount "$ROOT/proc"
    fi
}
trap cleanup EXIT
cleanup
rm -rf --one-file-system "$ROOT"
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$TARBALL"
rm -rf "$ROOT/run/systemd/system"   # as on a machine where systemd is not PID 1
mount -t proc proc "$ROOT/proc"     # the JVM needs /proc
in_root() { chroot "$ROOT" "$@"; }
in_root groupadd --system gpio      # as on Raspberry Pi OS
in_root groupadd --system spi

# ---- checks --------------------------------------------------------------------------------------
. "$HERE/checks.sh"
enabled() { [ -L "$ROOT/etc/systemd/system/multi-user.target.wants/mqtts-scale.service" ]; }
dpkg_in_root() { in_root dpkg --force-confold "$@" </dev/null >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log"; return 1; }; }

CHECK_OUT=$WORK/check.out
run_check() { # runs the installed launcher as the service user: mqtts-scale check ...
    in_root runuser -u mqtts-scale -- mqtts-scale check --scale.sensor=simulated --scale.hx711.rate=80 "$@" >"$CHECK_OUT" 2>&1
}
check_passes() { run_check "$@" || { sed 's/^/       | /' "$CHECK_OUT"; return 1; }; }
run_check_fails() { ! run_check "$@"; }
check_says() { grep -q -- "$1" "$CHECK_OUT" || { echo "       mqtts-scale check said:"; sed 's/^/       | /' "$CHECK_OUT"; return 1; }; }
check_does_not_say() { ! grep -q -- "$1" "$CHECK_OUT" || { echo "       mqtts-scale check said:"; sed 's/^/       | /' "$CHECK_OUT"; return 1; }; }
only_root_may_write() { # every file below $1 is root's, and neither group nor others may write it
    local others
    others=$(find "$ROOT$1" \( ! -user 0 -o ! -group 0 -o -perm /022 \) ! -type l -printf '%M %u:%g %p\n')
    [ -z "$others" ] || { echo "$others" | sed 's/^/       | /'; return 1; }
}
service_user_cannot_write() { # tried for real, as the service user: append to the archive, add a file beside it
    ! in_root runuser -u mqtts-scale -- sh -c "echo >>'$CDS_DIR/mqtts-scale.jsa'" 2>/dev/null \
        && ! in_root runuser -u mqtts-scale -- touch "$CDS_DIR/planted" 2>/dev/null
}

unit_verifies() { # systemd-analyze verify against the root's systemd units: no output at all
    local out
    out=$(systemd-analyze verify --root="$ROOT" "$UNIT" 2>&1) && [ -z "$out" ] || { echo "$out" | sed 's/^/       | /'; return 1; }
}

# ---- the second build: a higher version, a new line in the shipped application.yaml -------------
change_jvm_options() { echo "# second build" >>"$WORK/v2/usr/share/mqtts-scale/jvm.options"; }
second_build change_jvm_options
cp "$DEB" "$ROOT/tmp/v1.deb"
cp "$WORK/v2.deb" "$ROOT/tmp/v2.deb"
check "the second build's version $V2 is higher than $V1" dpkg --compare-versions "$V2" gt "$V1"

echo "# install $V1"
check "dpkg -i installs it (Depends satisfied by the root's openjdk-17-jre-headless)" dpkg_in_root -i /tmp/v1.deb
check "installed: $V1" is "$(status)" "install ok installed $V1"
check "jar /usr/share/mqtts-scale/mqtts-scale.jar 644 root" is "$(mode_owner /usr/share/mqtts-scale/mqtts-scale.jar)" "644 root:root"
check "launcher /usr/bin/mqtts-scale 755 root" is "$(mode_owner /usr/bin/mqtts-scale)" "755 root:root"
check "unit $UNIT 644 root" is "$(mode_owner $UNIT)" "644 root:root"
check "$ETC/application.yaml 644 root" is "$(mode_owner $ETC/application.yaml)" "644 root:root"
check "$ETC/secrets.env 600 root (root-only)" is "$(mode_owner $ETC/secrets.env)" "600 root:root"
check "route $ETC/routes/scale.camel.yaml" is "$(mode_owner $ETC/routes/scale.camel.yaml)" "644 root:root"
check "system user mqtts-scale" has_user mqtts-scale
check "its uid is a system one (< 1000)" test "$(in_root id -u mqtts-scale)" -lt 1000
check "its shell is nologin, its home $DATA" is "$(in_root getent passwd mqtts-scale | cut -d: -f6,7)" "$DATA:/usr/sbin/nologin"
check "it is in group gpio" in_group mqtts-scale gpio
check "it is in group spi" in_group mqtts-scale spi
check "$DATA is 700, owned by mqtts-scale" is "$(mode_owner $DATA)" "700 mqtts-scale:mqtts-scale"
check "the unit is enabled at boot" enabled
check "the jar extracted into $CDS_DIR, with a class-data archive" test -s "$ROOT$CDS_DIR/mqtts-scale.jsa" -a -s "$ROOT$CDS_DIR/mqtts-scale.jar"
check "  ... all root's ($CACHE_DIR 755 root)" is "$(mode_owner $CACHE_DIR)" "755 root:root"
check "  ... which neither group nor others may write" only_root_may_write $CACHE_DIR
check "  ... and the service user cannot change" service_user_cannot_write
check "systemd-analyze verify: nothing to say about the unit" unit_verifies
check "mqtts-scale check runs as mqtts-scale with the package's settings, exit 0" check_passes
check "  ... it read the simulated HX711 on the default pins" check_says "DOUT=BCM 5 (pin 29)"
check "  ... and reports no problem" check_says "Result: OK"
check "  ... from the prepared jar" check_does_not_say "was not made for this jar"
check "the package's own sensor is the HX711: without --scale.sensor, mqtts-scale check finds none here and fails" \
    bash -c "! chroot '$ROOT' runuser -u mqtts-scale -- mqtts-scale check --scale.hx711.rate=80 >'$CHECK_OUT' 2>&1"
check "  ... looking for the HX711 on the GPIO pins, as the package sets" check_says "HX711 on the GPIO pins (scale.sensor=hx711)"
check "  ... which this root does not have" check_says "No GPIO chip"

echo "# configure, calibrate, break the wiring"
echo "scale.hx711.data-pin: 17" >>"$ROOT$ETC/application.yaml"
echo "SCALE_MQTT_PASSWORD=s3cret" >>"$ROOT$ETC/secrets.env"
echo '{"offset":80000,"countsPerKg":21000}' >"$ROOT$DATA/calibration.json"
in_root chown mqtts-scale:mqtts-scale "$DATA/calibration.json"
in_root chmod 600 "$DATA/calibration.json"
uid_before=$(in_root id -u mqtts-scale)
check "mqtts-scale check reads /etc/mqtts-scale/application.yaml (data pin 17)" check_passes
check "  ... DOUT=BCM 17" check_says "DOUT=BCM 17 (pin 11)"
check "mqtts-scale check exits non-zero on settings it cannot use" run_check_fails --scale.hx711.clock-pin=17
check "  ... and says which" check_says "scale.hx711.clock-pin: Invalid dataPin/clockPin: both are BCM 17, DOUT and PD_SCK need two different pins"

# what an admin may have done, and what the previous version left: a cache the service user owned
in_root chmod 644 $ETC/secrets.env
in_root chown mqtts-scale:mqtts-scale $ETC/secrets.env
in_root rm -rf $CACHE_DIR
in_root install -d -o mqtts-scale -g mqtts-scale -m 700 $CACHE_DIR $CDS_DIR
in_root runuser -u mqtts-scale -- touch $CDS_DIR/planted

echo "# upgrade to $V2"
check "dpkg -i upgrades it (keeping the changed conffile, as --force-confold / 'N' does)" dpkg_in_root -i /tmp/v2.deb
check "installed: $V2" is "$(status)" "install ok installed $V2"
check "the package's files are the new ones" contains /usr/share/mqtts-scale/jvm.options "# second build"
check "the changed application.yaml is kept" contains $ETC/application.yaml "scale.hx711.data-pin: 17"
check "  ... and the new version's beside it" contains $ETC/application.yaml.dpkg-dist "(second build)"
check "the secret is kept" contains $ETC/secrets.env "SCALE_MQTT_PASSWORD=s3cret"
check "  ... root-only again (it was 644 mqtts-scale before the upgrade)" is "$(mode_owner $ETC/secrets.env)" "600 root:root"
check "the cache the service user owned is root's now" is "$(mode_owner $CACHE_DIR)" "755 root:root"
check "  ... made anew (nothing the service user put there is left)" absent $CDS_DIR/planted
check "  ... which neither group nor others may write" only_root_may_write $CACHE_DIR
check "the calibration is kept, 600 mqtts-scale" is "$(mode_owner $DATA/calibration.json)" "600 mqtts-scale:mqtts-scale"
check "  ... unchanged" contains $DATA/calibration.json '"countsPerKg":21000'
check "$DATA still 700 mqtts-scale" is "$(mode_owner $DATA)" "700 mqtts-scale:mqtts-scale"
check "the user is the same (uid $uid_before)" is "$(in_root id -u mqtts-scale)" "$uid_before"
check "still enabled" enabled
check "mqtts-scale check still works after the upgrade" check_passes

echo "# a JDK update"
in_root touch "$(in_root readlink -f /usr/bin/java)"     # as a new JDK's files would be
check "mqtts-scale check still runs when the JDK changed" check_passes
check "  ... not with the archive made for the other JDK, and says so" check_says "was not made for this jar, jvm.options and JDK"
JDK_DEB=$(cd "$ROOT" && ls var/cache/apt/archives/openjdk-17-jre-headless_*.deb) \
    || fail_setup "the root's apt cache has no openjdk-17-jre-headless .deb (debootstrap keeps them): delete $TARBALL to make the root again"
check "installing the JDK package (again) runs the package's trigger on /usr/lib/jvm: jar and archive fit the JDK again" \
    dpkg_in_root -i "/$JDK_DEB"
check "  ... mqtts-scale check runs from the prepared jar again" check_passes
check "  ... with nothing to say about it" check_does_not_say "was not made for this jar"

echo "# remove"
check "dpkg -r removes it" dpkg_in_root -r $PKG
check "only its configuration is left" is "$(status)" "deinstall ok config-files $V2"
check "jar gone" absent /usr/share/mqtts-scale/mqtts-scale.jar
check "launcher gone" absent /usr/bin/mqtts-scale
check "unit gone" absent $UNIT
check "configuration kept" contains $ETC/application.yaml "scale.hx711.data-pin: 17"
check "calibration kept" exists $DATA/calibration.json
check "user kept" has_user mqtts-scale

echo "# purge"
check "dpkg -P purges it" dpkg_in_root -P $PKG
check "not installed" is "$(status)" "unknown"
check "$ETC gone" absent $ETC
check "$DATA (calibration, buffered data) gone" absent $DATA
check "user mqtts-scale gone" bash -c "! chroot '$ROOT' getent passwd mqtts-scale >/dev/null"
check "group mqtts-scale gone" bash -c "! chroot '$ROOT' getent group mqtts-scale >/dev/null"
check "group gpio stays" has_group gpio
check "no enable symlink left" bash -c "! [ -L '$ROOT/etc/systemd/system/multi-user.target.wants/mqtts-scale.service' ]"

echo "# under systemd: the root boots with systemd-nspawn; install again, start, upgrade while running, purge"
cleanup                                   # systemd mounts its own /proc
(cd "$ROOT" && rm -f tmp/v1.deb tmp/v2.deb) && cp "$DEB" "$ROOT/root/v1.deb" && cp "$WORK/v2.deb" "$ROOT/root/v2.deb"
systemd-nspawn --quiet --register=no --keep-unit -D "$ROOT" --boot --console=pipe >"$WORK/boot.log" 2>&1 &
NSPAWN=$!
BOX=
for _ in $(seq 60); do
    BOX=$(pgrep -P "$NSPAWN" -x systemd || true)
    if [ -n "$BOX" ]; then
        case $(timeout 120 nsenter -t "$BOX" -a systemctl is-system-running --wait 2>/dev/null) in
            running | degraded) break ;;
        esac
    fi
    BOX=
    sleep 1
done
[ -n "$BOX" ] || { cat "$WORK/boot.log"; fail_setup "systemd did not boot in the root (systemd-nspawn, log above)"; }
in_root() { nsenter -t "$BOX" -a "$@"; }  # the checks above now look inside the booted root
unit() { in_root systemctl show -p "$1" --value mqtts-scale.service; }
started_times() { in_root journalctl -u mqtts-scale.service -o cat --no-pager | grep -c "Started ScaleApplication" || true; }
wait_started() { # until the scale has logged its start $1 times, at most 3 minutes
    for _ in $(seq 180); do
        [ "$(started_times)" -ge "$1" ] && return 0
        [ "$(unit ActiveState)" = failed ] && break
        sleep 1
    done
    in_root journalctl -u mqtts-scale.service -o cat --no-pager | grep -v '^\s*at ' | tail -20 | sed 's/^/       | /'
    return 1
}
check "dpkg -i installs it afresh, systemd running" dpkg_in_root -i /root/v1.deb
check "  ... with a fresh application.yaml" bash -c "! grep -q 'data-pin: 17' '$ROOT$ETC/application.yaml'"
check "  ... and a fresh data folder" is "$(mode_owner $DATA)" "700 mqtts-scale:mqtts-scale"
check "enabled at boot" is "$(in_root systemctl is-enabled mqtts-scale.service)" enabled
check "not started before it knows its broker" is "$(unit ActiveState)" inactive
cat >>"$ROOT$ETC/application.yaml" <<'SETTINGS'
scale.sensor: simulated
scale.mqtt.url: ssl://localhost:1
server.port: 0
SETTINGS
echo "SPRING_SECURITY_USER_PASSWORD=from-secrets-env" >>"$ROOT$ETC/secrets.env"
exposure() { # systemd-analyze security's overall exposure of the unit (0.0 best, 10.0 worst)
    in_root systemd-analyze security --no-pager mqtts-scale.service 2>&1 | tee "$WORK/security.txt" \
        | sed -n 's/^.*Overall exposure level for mqtts-scale.service: \([0-9.]*\).*$/\1/p'
}
EXPOSURE=$(exposure)
echo "       systemd-analyze security mqtts-scale: overall exposure ${EXPOSURE:-unknown} (the lines: $WORK/security.txt)"
check "systemd-analyze security: the unit's exposure ${EXPOSURE:-unknown} is 2.0 or less" \
    bash -c "[ -n '$EXPOSURE' ] && awk 'BEGIN { exit !($EXPOSURE <= 2.0) }' || { grep '✗' '$WORK/security.txt' | sed 's/^/       | /'; exit 1; }"
in_root systemctl start mqtts-scale.service
check "systemctl start: the scale starts under the hardened unit" wait_started 1
check "  ... as user mqtts-scale" is "$(in_root stat -c %U "/proc/$(unit MainPID)")" mqtts-scale
main_proc() { in_root sh -c "tr '\\0' '\\n' </proc/$(unit MainPID)/$1"; }  # the service's /proc/<pid>/$1
gpio_gid=$(in_root getent group gpio | cut -d: -f3)
check "  ... in group gpio" bash -c "grep '^Groups:' <<<'$(main_proc status)' | tr '\t ' '\n\n' | grep -qx '$gpio_gid'"
check "  ... with the JVM options" bash -c "grep -qx -- '@/usr/share/mqtts-scale/jvm.options' <<<'$(main_proc cmdline)'"
check "  ... and the secrets from secrets.env" bash -c "grep -qx 'SPRING_SECURITY_USER_PASSWORD=from-secrets-env' <<<'$(main_proc environ)'"
check "  ... from the extracted jar with root's class-data archive, mapped" bash -c \
    "grep -qx -- '-XX:SharedArchiveFile=$CDS_DIR/mqtts-scale.jsa' <<<'$(main_proc cmdline)' && grep -qx -- '$CDS_DIR/mqtts-scale.jar' <<<'$(main_proc cmdline)' && grep -q 'mqtts-scale.jsa' <<<'$(main_proc maps)'"
check "  ... which the service cannot change" service_user_cannot_write
journal_says() { # grep -c reads to the end: grep -q would stop early, and journalctl's SIGPIPE fail the pipe (pipefail)
    in_root journalctl -u mqtts-scale.service -o cat --no-pager | grep -c -- "$1" >/dev/null
}
check "  ... resolving the broker's name and trying it, within its address families and system calls" \
    journal_says "nothing accepts connections at"
pid_before=$(unit MainPID)
check "dpkg -i upgrades it while it runs" dpkg_in_root -i /root/v2.deb
check "  ... and restarts it on the new version" wait_started 2
check "  ... (a new process)" bash -c "[ '$(unit MainPID)' != '$pid_before' ] && [ '$(unit MainPID)' != 0 ]"
check "  ... with the new version's archive, mapped" bash -c \
    "grep -qx -- '-XX:SharedArchiveFile=$CDS_DIR/mqtts-scale.jsa' <<<'$(main_proc cmdline)' && grep -q 'mqtts-scale.jsa' <<<'$(main_proc maps)'"
check "  ... (the new version's jvm.options)" contains $CDS_DIR/stamp "/usr/share/mqtts-scale/jvm.options $(stat -c '%s %Y' "$ROOT/usr/share/mqtts-scale/jvm.options")"
in_root systemctl stop mqtts-scale.service
check "systemctl stop is a clean stop, not a failure" is "$(unit Result)" success
check "dpkg -P stops and purges it" dpkg_in_root -P $PKG
check "  ... the service is gone" is "$(in_root systemctl is-active mqtts-scale.service)" inactive
check "  ... and so is its cache" absent $CACHE_DIR
check "  ... and so is its user" bash -c "! nsenter -t $BOX -a getent passwd mqtts-scale >/dev/null"
kill -KILL "$BOX"   # the root is thrown away: no need for an orderly power-off (15 s)
for _ in $(seq 30); do kill -0 "$NSPAWN" 2>/dev/null || break; sleep 1; done
cleanup

echo "lifecycle: $passed checks passed, $failed failed, in ${SECONDS} s"
if [ "$failed" = 0 ]; then
    cleanup
    rm -rf --one-file-system "$ROOT" # 500 MB; kept when a check failed, to look into
fi
[ "$failed" = 0 ]
