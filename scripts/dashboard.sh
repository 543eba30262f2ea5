#!/usr/bin/env bash
# Set up .venv and serve the dashboard on the bundled seeds/ at http://localhost:${PORT:-8501}.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh requirements.txt
set -a
. scripts/server.env
set +a
exec .venv/bin/streamlit run app.py --server.headless true --server.port "${PORT:-8501}" \
  --browser.gatherUsageStats false
