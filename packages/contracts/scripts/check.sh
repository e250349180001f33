#!/usr/bin/env bash
# Checks the public contract (proto/): buf lint (STANDARD + COMMENTS, see proto/buf.yaml), buf
# format, and buf breaking against the released baseline in proto/breaking. Offline: buf fetches
# nothing, the module has no remote dependencies. CI runs this; so does `pnpm --filter
# @coord/contracts check`.
set -euo pipefail

package_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
buf="$package_dir/node_modules/.bin/buf"
cd "$package_dir/../../proto"

echo "buf lint"
"$buf" lint
echo "buf format"
"$buf" format --diff --exit-code
echo "buf breaking --against breaking"
"$buf" breaking --against breaking
echo "contract ok"
