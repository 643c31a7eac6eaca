#!/usr/bin/env bash
# Makes, once per machine, a Debian root of a Raspberry Pi's architecture (arm64 or armhf), run on this machine
# under emulation (qemu-user-static, registered in binfmt_misc with the F flag, so chroot needs no qemu inside
# the root): debootstrap, whose steps inside the root run emulated. The root has what a fresh Pi has (minbase,
# systemd and ca-certificates, which every Pi image has for apt and curl over https), and the JRE that "apt-get install ./mqtts-scale_*.deb" pulls in is only downloaded into its apt cache,
# not installed: the test installs it as a user's apt-get does, without going to the network each time.
# Kept as a tar file in $MQTTS_SCALE_ROOT_CACHE (/var/cache/mqtts-scale-test); prints its path.
#
# Usage (as root): emulated-root.sh <arm64|armhf> <trixie|bookworm>
set -euo pipefail

fail_setup() {
    echo "emulated-root: cannot run: $*" >&2
    exit 2
}
[ $# = 2 ] || fail_setup "usage: $0 <arm64|armhf> <suite>"
ARCH=$1
SUITE=$2
case $ARCH in
    arm64) QEMU=qemu-aarch64 ;;
    armhf) QEMU=qemu-arm ;;
    *) fail_setup "architecture $ARCH: arm64 or armhf" ;;
esac
[ "$(id -u)" = 0 ] || fail_setup "needs root (debootstrap, chroot, mount)"
command -v debootstrap >/dev/null || fail_setup "debootstrap is missing: apt-get install debootstrap"
# binfmt_misc: in a container without systemd nobody mounted it
if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null \
        || fail_setup "binfmt_misc is not mounted and cannot be: mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc"
fi
if [ ! -e /proc/sys/fs/binfmt_misc/$QEMU ]; then
    command -v update-binfmts >/dev/null || fail_setup "$QEMU is not registered: apt-get install qemu-user-static binfmt-support"
    update-binfmts --enable $QEMU >/dev/null 2>&1 || fail_setup "update-binfmts --enable $QEMU failed: apt-get install qemu-user-static binfmt-support"
fi
grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/$QEMU \
    || fail_setup "$QEMU is registered without the F flag (the root would need qemu inside): use Debian's qemu-user-static"

# the machine's own Debian mirror (deb822 sources or sources.list), else deb.debian.org
MIRROR=${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)\/\{0,1\}$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)}
MIRROR=${MIRROR:-$(sed -n 's/^deb \(http[^ ]*\/debian\)\/\{0,1\} .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
INCLUDE=systemd,ca-certificates
FETCH=default-jre-headless   # what the package's Depends pulls in on that suite: downloaded, not installed
CACHE=${MQTTS_SCALE_ROOT_CACHE:-/var/cache/mqtts-scale-test}
TARBALL=$CACHE/$SUITE-$ARCH-minbase-$(echo "$INCLUDE $FETCH" | md5sum | cut -c1-8).tar

mkdir -p "$CACHE"
(
    flock 9
    if [ ! -f "$TARBALL" ]; then
        started=$SECONDS
        log=$CACHE/debootstrap-$SUITE-$ARCH.log
        echo "emulated-root: making the $ARCH $SUITE root once (debootstrap under emulation, about 10 minutes) into $TARBALL" >&2
        building=$CACHE/building-$SUITE-$ARCH
        for m in proc sys dev; do umount -l "$building/$m" 2>/dev/null || true; done
        rm -rf --one-file-system "$building"
        # In one go, not --foreign and then --second-stage in the root: debootstrap's own work (perl reading the
        # 56 MB package list again for every pre-dependency) then runs on this machine, and only the root's dpkg and
        # maintainer scripts run emulated (binfmt's F flag runs them in chroot). The second stage emulated took over
        # 20 minutes here for systemd's pre-dependencies alone. The downloads are kept for the next root.
        mkdir -p "$CACHE/debs-$SUITE-$ARCH"
        debootstrap --arch="$ARCH" --variant=minbase --include="$INCLUDE" --cache-dir="$CACHE/debs-$SUITE-$ARCH" \
            "$SUITE" "$building" "$MIRROR" >"$log" 2>&1 || { tail -20 "$log" >&2; fail_setup "debootstrap failed (log: $log)"; }
        mount -t proc proc "$building/proc"
        {
            chroot "$building" apt-get update \
                && chroot "$building" env DEBIAN_FRONTEND=noninteractive apt-get install -y --download-only --no-install-recommends $FETCH
        } >>"$log" 2>&1 || { umount "$building/proc"; tail -20 "$log" >&2; fail_setup "apt-get in the root failed (log: $log)"; }
        umount "$building/proc"
        tar -C "$building" -cf "$TARBALL.tmp" .
        mv "$TARBALL.tmp" "$TARBALL"
        # a root made with other packages (an older checkout's INCLUDE or FETCH) is not used again: about 400 MB each
        for other in "$CACHE/$SUITE-$ARCH"-minbase-*.tar; do
            [ "$other" = "$TARBALL" ] || rm -f "$other"
        done
        rm -rf --one-file-system "$building"
        echo "emulated-root: made $TARBALL in $((SECONDS - started)) s" | tee -a "$log" >&2
    fi
) 9>"$CACHE/.lock-$SUITE-$ARCH"
echo "$TARBALL"
