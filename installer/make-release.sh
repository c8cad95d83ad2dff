#!/usr/bin/env bash
# Stages the release tree airseal-<version>/ and writes its SHA256SUMS; the assembly plugin then
# packs the staged tree as target/airseal-<version>.tar.gz. Run by `mvn package` after the Quarkus
# build; usage: make-release.sh <project dir> <build dir> <version>
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 <project dir> <build dir> <version>" >&2
  exit 2
fi
project=$1
build=$2
version=$3
app="$build/quarkus-app"
[ -f "$app/quarkus-run.jar" ] || { echo "make-release: $app/quarkus-run.jar missing: run the Quarkus build first" >&2; exit 1; }

stage="$build/release/airseal-$version"
rm -rf "$build/release"
mkdir -p "$stage"
# The release is read by root on the target: no group- or world-writable file may come from the
# build machine's umask.
umask 022

cp -R "$app" "$stage/app"
mkdir -p "$stage/config" "$stage/systemd" "$stage/installer" "$stage/docs"
cp "$project/installer/config/application.properties" "$stage/config/"
cp "$project/installer/systemd/airseal.service" "$stage/systemd/"
cp "$project/installer/install.sh" "$project/installer/uninstall.sh" "$project/installer/common.sh" \
  "$project/installer/README.md" \
  "$stage/installer/"
chmod 0755 "$stage/installer/install.sh" "$stage/installer/uninstall.sh"
cp -R "$project/ansible" "$stage/ansible"
cp -R "$project"/docs/. "$stage/docs/"   # the manual with its runbooks/
cp "$project/README.md" "$stage/README.md"
printf '%s\n' "$version" > "$stage/VERSION"
chmod -R u+rwX,go+rX,go-w "$stage"

# sha256sum format, one line per regular file, sorted bytewise so the manifest is reproducible.
(
  cd "$stage"
  find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | while IFS= read -r f; do
    sha256sum -- "$f"
  done > ../SHA256SUMS.tmp
)
mv "$build/release/SHA256SUMS.tmp" "$stage/SHA256SUMS"
echo "make-release: staged $stage ($(wc -l < "$stage/SHA256SUMS") files)"
