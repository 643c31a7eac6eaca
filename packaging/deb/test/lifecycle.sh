#!/usr/bin/env bash
# The Debian package's life in a real Debian root: install, upgrade to a second build with a higher
# version, remove, purge, install again. Checks files, modes, the service user, the data folder,
# that configuration and calibration survive the upgrade and are gone after purge, that the
# launcher runs "mqtts-scale check" as the service user with the installed configuration, and that
# "systemd-analyze verify" finds nothing to say about the unit. Then the root boots with systemd
# (systemd-nspawn) and the scale starts, restarts on an upgrade and stops under its hardened unit.
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
[ -f "$DEB" ] || fail_setup "no package at $DEB: build it first (./mvnw -B -f app.pom.xml package)"
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
passed=0
failed=0
check() { # description, then a command that must succeed
    local what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "ok   - $what"
    else
        failed=$((failed + 1))
        echo "FAIL - $what"
    fi
}
mode_owner() { in_root stat -c '%a %U:%G' "$1" 2>/dev/null; }  # names as the root knows them
is() { [ "$1" = "$2" ] || { echo "       expected '$2', got '$1'"; return 1; }; }
exists() { [ -e "$ROOT$1" ] || [ -L "$ROOT$1" ]; }
absent() { ! exists "$1"; }
contains() { grep -q -- "$2" "$ROOT$1" || { echo "       $1 lacks '$2'"; return 1; }; }
status() { in_root dpkg-query -W -f='${Status} ${Version}' "$PKG" 2>/dev/null || echo "unknown"; }
has_user() { in_root getent passwd "$1" >/dev/null; }
has_group() { in_root getent group "$1" >/dev/null; }
in_group() { in_root id -nG "$1" | tr ' ' '\n' | grep -qx "$2"; }
enabled() { [ -L "$ROOT/etc/systemd/system/multi-user.target.wants/mqtts-scale.service" ]; }
dpkg_in_root() { in_root dpkg --force-confold "$@" </dev/null >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log"; return 1; }; }

CHECK_OUT=$WORK/check.out
run_check() { # runs the installed launcher as the service user: mqtts-scale check ...
    in_root runuser -u mqtts-scale -- mqtts-scale check --scale.sensor=simulated --scale.hx711.rate=80 "$@" >"$CHECK_OUT" 2>&1
}
check_passes() { run_check "$@" || { sed 's/^/       | /' "$CHECK_OUT"; return 1; }; }
run_check_fails() { ! run_check "$@"; }
check_says() { grep -q -- "$1" "$CHECK_OUT" || { echo "       mqtts-scale check said:"; sed 's/^/       | /' "$CHECK_OUT"; return 1; }; }

unit_verifies() { # systemd-analyze verify against the root's systemd units: no output at all
    local out
    out=$(systemd-analyze verify --root="$ROOT" "$UNIT" 2>&1) && [ -z "$out" ] || { echo "$out" | sed 's/^/       | /'; return 1; }
}

# ---- the second build: a higher version, a new line in the shipped application.yaml -------------
V1=$(dpkg-deb -f "$DEB" Version)
V2=$V1+upgrade1
rm -rf "$WORK/v2"
dpkg-deb -R "$DEB" "$WORK/v2"
sed -i "s/^Version: .*/Version: $V2/" "$WORK/v2/DEBIAN/control"
echo "# (second build) a setting added by a later version" >>"$WORK/v2$ETC/application.yaml"
echo "# second build" >>"$WORK/v2/usr/share/mqtts-scale/jvm.options"
(cd "$WORK/v2" && find etc usr lib -type f -exec md5sum {} + >DEBIAN/md5sums)
dpkg-deb -b --root-owner-group "$WORK/v2" "$WORK/v2.deb" >/dev/null
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
check "systemd-analyze verify: nothing to say about the unit" unit_verifies
check "mqtts-scale check runs as mqtts-scale with the package's settings, exit 0" check_passes
check "  ... it read the simulated HX711 on the default pins" check_says "DOUT=BCM 5 (pin 29)"
check "  ... and reports no problem" check_says "Result: OK"

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
check "  ... and says which" check_says "scale.hx711.data-pin and scale.hx711.clock-pin must be different"

echo "# upgrade to $V2"
check "dpkg -i upgrades it (keeping the changed conffile, as --force-confold / 'N' does)" dpkg_in_root -i /tmp/v2.deb
check "installed: $V2" is "$(status)" "install ok installed $V2"
check "the package's files are the new ones" contains /usr/share/mqtts-scale/jvm.options "# second build"
check "the changed application.yaml is kept" contains $ETC/application.yaml "scale.hx711.data-pin: 17"
check "  ... and the new version's beside it" contains $ETC/application.yaml.dpkg-dist "(second build)"
check "the secret is kept" contains $ETC/secrets.env "SCALE_MQTT_PASSWORD=s3cret"
check "  ... root-only" is "$(mode_owner $ETC/secrets.env)" "600 root:root"
check "the calibration is kept, 600 mqtts-scale" is "$(mode_owner $DATA/calibration.json)" "600 mqtts-scale:mqtts-scale"
check "  ... unchanged" contains $DATA/calibration.json '"countsPerKg":21000'
check "$DATA still 700 mqtts-scale" is "$(mode_owner $DATA)" "700 mqtts-scale:mqtts-scale"
check "the user is the same (uid $uid_before)" is "$(in_root id -u mqtts-scale)" "$uid_before"
check "still enabled" enabled
check "mqtts-scale check still works after the upgrade" check_passes

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
scale.mqtt.url: ssl://127.0.0.1:1
server.port: 0
SETTINGS
echo "SPRING_SECURITY_USER_PASSWORD=from-secrets-env" >>"$ROOT$ETC/secrets.env"
in_root systemctl start mqtts-scale.service
check "systemctl start: the scale starts under the hardened unit" wait_started 1
check "  ... as user mqtts-scale" is "$(in_root stat -c %U "/proc/$(unit MainPID)")" mqtts-scale
main_proc() { in_root sh -c "tr '\\0' '\\n' </proc/$(unit MainPID)/$1"; }  # the service's /proc/<pid>/$1
gpio_gid=$(in_root getent group gpio | cut -d: -f3)
check "  ... in group gpio" bash -c "grep '^Groups:' <<<'$(main_proc status)' | tr '\t ' '\n\n' | grep -qx '$gpio_gid'"
check "  ... with the JVM options" bash -c "grep -qx -- '@/usr/share/mqtts-scale/jvm.options' <<<'$(main_proc cmdline)'"
check "  ... and the secrets from secrets.env" bash -c "grep -qx 'SPRING_SECURITY_USER_PASSWORD=from-secrets-env' <<<'$(main_proc environ)'"
CDS_DIR=/var/cache/mqtts-scale/app
check "  ... from the jar extracted into its cache, recording a class-data archive" bash -c \
    "grep -qx -- '-XX:ArchiveClassesAtExit=$CDS_DIR/mqtts-scale.jsa' <<<'$(main_proc cmdline)' && grep -qx -- '$CDS_DIR/mqtts-scale.jar' <<<'$(main_proc cmdline)'"
check "  ... the cache is the service user's alone" is "$(mode_owner /var/cache/mqtts-scale)" "700 mqtts-scale:mqtts-scale"
pid_before=$(unit MainPID)
check "dpkg -i upgrades it while it runs" dpkg_in_root -i /root/v2.deb
check "  ... and restarts it on the new version" wait_started 2
check "  ... (a new process)" bash -c "[ '$(unit MainPID)' != '$pid_before' ] && [ '$(unit MainPID)' != 0 ]"
in_root systemctl stop mqtts-scale.service
check "systemctl stop is a clean stop, not a failure" is "$(unit Result)" success
check "  ... which wrote the class-data archive" test -s "$ROOT$CDS_DIR/mqtts-scale.jsa"
in_root systemctl start mqtts-scale.service
check "the next start uses the archive" wait_started 3
check "  ... (given to the JVM and mapped by it)" bash -c \
    "grep -qx -- '-XX:SharedArchiveFile=$CDS_DIR/mqtts-scale.jsa' <<<'$(main_proc cmdline)' && grep -q 'mqtts-scale.jsa' <<<'$(main_proc maps)'"
in_root systemctl stop mqtts-scale.service
# what a power cut or a kill while the archive was being written leaves: a file cut short, never checked
truncate -s 4096 "$ROOT$CDS_DIR/mqtts-scale.jsa"
rm -f "$ROOT$CDS_DIR/archive-checked"
in_root systemctl start mqtts-scale.service
check "an archive cut short is not used (it would crash the JVM): the scale starts" wait_started 4
check "  ... recording the archive again" bash -c \
    "grep -qx -- '-XX:ArchiveClassesAtExit=$CDS_DIR/mqtts-scale.jsa' <<<'$(main_proc cmdline)'"
journal_says() { # grep -c reads to the end: grep -q would stop early, and journalctl's SIGPIPE fail the pipe (pipefail)
    in_root journalctl -u mqtts-scale.service -o cat --no-pager | grep -c -- "$1" >/dev/null
}
check "  ... and says why" journal_says 'cannot be used (cut short'
check "dpkg -P stops and purges it" dpkg_in_root -P $PKG
check "  ... the service is gone" is "$(in_root systemctl is-active mqtts-scale.service)" inactive
check "  ... and so is its cache" absent /var/cache/mqtts-scale
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
