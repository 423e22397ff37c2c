#!/usr/bin/env bash
# Lays out the provider package in the filesystem-mirror layout and trains its start-up archive.
#   build-package.sh ALL_JAR PACKAGE_DIR VERSION
# PACKAGE_DIR = <mirror>/registry.opentofu.org/proxplane/proxplane/<version>/linux_amd64
# Terraform picks the first file named terraform-provider-proxplane[_.]* as the executable, so the
# jar and archive live in lib/ (a directory is skipped), never next to the launcher.
set -euo pipefail
jar=$1 pkg=$2 version=$3
java="${JAVA_HOME:?JAVA_HOME must point at the build JDK}/bin/java"

rm -rf "$pkg"
mkdir -p "$pkg/lib"
cp "$jar" "$pkg/lib/proxplane-terraform-provider.jar"
launcher="$pkg/terraform-provider-proxplane_v$version"
cp "$(dirname "$0")/launcher.sh" "$launcher"
chmod 755 "$launcher"

# Which JDK trained the archive: the launcher uses the archive only with that exact runtime.
release="$JAVA_HOME/release"
jdk_id=$(grep -E '^(JAVA_VERSION|IMPLEMENTOR|JAVA_RUNTIME_VERSION)=' "$release" | tr -d '"' | sort | tr '\n' ' ')
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
lib=$(cd "$pkg/lib" && pwd -P)
cd "$lib"
# The training run launches the provider as Terraform does, with the launcher's own JVM flags
# (keep them in step with launcher.sh: an archive is only used under compatible settings) plus
# the one that writes the archive, and plays Terraform against it (TrainingRun).
flags=(-Xlog:disable -Xlog:all=warning:stderr -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MetaspaceSize=128m -Xss512k -Xms32m -XX:-UsePerfData
  -Djava.awt.headless=true)
cp_flags=(-cp "$lib/proxplane-terraform-provider.jar")
if [ "$major" -ge 25 ]; then
  # JDK 25+: the ahead-of-time cache (JEP 483/514) — classes loaded and linked, plus profiles.
  native=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
  "$java" "${native[@]}" "${cp_flags[@]}" io.proxplane.terraform.plugin.TrainingRun \
    "$java" "${native[@]}" -XX:AOTCacheOutput=proxplane.aot "${flags[@]}" "${cp_flags[@]}" io.proxplane.terraform.Main
  [ -s proxplane.aot ] || { echo "training run wrote no proxplane.aot" >&2; exit 1; }
  echo "aot proxplane.aot $jdk_id" > archive.jdk
else
  # JDK 21-24: a dynamic AppCDS archive written when the provider exits.
  "$java" "${cp_flags[@]}" io.proxplane.terraform.plugin.TrainingRun \
    "$java" -XX:ArchiveClassesAtExit=proxplane.jsa "${flags[@]}" "${cp_flags[@]}" io.proxplane.terraform.Main
  [ -s proxplane.jsa ] || { echo "training run wrote no proxplane.jsa" >&2; exit 1; }
  echo "cds proxplane.jsa $jdk_id" > archive.jdk
fi
# The same package under Terraform's default registry host as well: `source = "proxplane/proxplane"`
# means registry.opentofu.org/... to OpenTofu and registry.terraform.io/... to Terraform, so one
# mirror serves an unmodified configuration under both CLIs (identical files, identical hash).
pkg_abs=$(cd "$lib/.." && pwd -P)
twin=$(echo "$pkg_abs" | sed 's#/registry\.opentofu\.org/proxplane/proxplane/#/registry.terraform.io/proxplane/proxplane/#')
if [ "$twin" != "$pkg_abs" ]; then
  rm -rf "$twin"
  mkdir -p "$(dirname "$twin")"
  cp -a "$pkg_abs" "$twin"
fi
echo "provider package: $pkg ($(du -sh . | cut -f1)), also under $twin"
