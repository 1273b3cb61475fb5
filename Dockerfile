# The planner as one container: `streamlit run` by default, migrations as a separate command.
#
#   docker build -t planner .
#   docker run --rm -e PLANNER_DATABASE_URL=postgresql+psycopg://planner:…@db/planner planner python -m planner migrate
#   docker run -d -p 8501:8501 -e PLANNER_DATABASE_URL=… -e PLANNER_MODE=hosted -e PLANNER_ADMIN_TOKEN=… planner
#
# Without PLANNER_DATABASE_URL it uses SQLite at /app/data/planner.db (migrated at start): mount a volume
# there (-v planner-data:/app/data) or the data goes with the container. README.md, "Hosting", has the rest.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# DejaVu gives the PDF board pack Unicode text (without it, core fonts and Latin-1 only).
# Not pinned: Debian drops superseded versions from its mirrors, and a font has no API to break.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# A numeric user, so that an orchestrator can check it is not root (Kubernetes runAsNonRoot).
RUN groupadd --gid 10001 planner && useradd --create-home --uid 10001 --gid 10001 planner
WORKDIR /app

# Dependencies first: this layer is reused until requirements.txt changes.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The code stays owned by root: the app can write only its data folder.
COPY . .
RUN mkdir -p data && chown 10001:10001 data

USER 10001:10001
EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4)"]

# The code does not change inside the image, so nothing needs watching for edits.
CMD ["streamlit", "run", "server.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", \
     "--server.fileWatcherType=none"]
