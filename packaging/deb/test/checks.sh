# What lifecycle.sh and emulated.sh share, sourced by them: check counts and prints each; the others look into
# the Debian root at $ROOT (in_root runs a command in it) and at package $PKG, or make its second build.
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
system_group() { [ "$(in_root getent group "$1" | cut -d: -f3)" -lt 1000 ]; }
in_group() { in_root id -nG "$1" | tr ' ' '\n' | grep -qx "$2"; }

second_build() { # the package $DEB again as a higher version, $V2 (V1 is $DEB's), with a setting added to the shipped
    # application.yaml, in $WORK/v2.deb; the command given, if any, changes more in $WORK/v2 before it is packed
    V1=$(dpkg-deb -f "$DEB" Version)
    V2=$V1+upgrade1
    rm -rf "$WORK/v2"
    dpkg-deb -R "$DEB" "$WORK/v2"
    sed -i "s/^Version: .*/Version: $V2/" "$WORK/v2/DEBIAN/control"
    echo "# (second build) a setting added by a later version" >>"$WORK/v2$ETC/application.yaml"
    "$@"
    (cd "$WORK/v2" && find etc usr lib -type f -exec md5sum {} + >DEBIAN/md5sums)
    dpkg-deb -b --root-owner-group "$WORK/v2" "$WORK/v2.deb" >/dev/null
}
