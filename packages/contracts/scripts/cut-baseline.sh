#!/usr/bin/env bash
# Makes the current contract the baseline `buf breaking` compares against. Run it when a release
# that bureaus consume ships, and commit proto/breaking with the release: from then on, every
# change must stay compatible with what was released.
set -euo pipefail

package_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
proto="$package_dir/../../proto"

"$package_dir/scripts/check.sh"
rm -rf "$proto/breaking/coord"
cp -R "$proto/coord" "$proto/breaking/coord"
echo "baseline is now the current contract: commit proto/breaking"
