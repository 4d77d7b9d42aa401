#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, then runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r tests/requirements.txt
if [ ! -x /usr/bin/chromium ]; then  # for the browser tests (Debian's build; never `playwright install`)
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then  # the store's tests also run on PostgreSQL
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if [ ! -x /usr/sbin/nginx ]; then  # tests/browser/test_replicas.py puts nginx in front of two replicas (deploy/)
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then  # axe-core, for the accessibility checks
  command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
  npm install --prefix tests/browser --no-save --no-package-lock --no-audit --no-fund --silent axe-core@4.14.1
fi
# As a new machine: nothing silences TensorFlow's start-up notices for the suite.
unset TF_CPP_MIN_LOG_LEVEL TF_CPP_MAX_VLOG_LEVEL TF_CPP_VMODULE TF_ENABLE_ONEDNN_OPTS
python -m pytest "$@"
