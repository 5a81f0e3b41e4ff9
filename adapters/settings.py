"""The one place configuration is read: environment variables prefixed TADAMON_."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_MARKER = "change-me"  # noqa: S105 - a placeholder to refuse, not a secret


# Kafka's own rule for a topic's name, shortened so that a relay shard's position key
# (``<topic>#k/N``, ``adapters/lag.py``) fits relay_positions.topic (200 characters).
KAFKA_TOPIC_NAME = r"^[A-Za-z0-9._-]{1,190}$"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TADAMON_", env_file=None, extra="forbid")

    environment: Literal["development", "production"] = "development"
    database_url: str = Field(
        "sqlite:///./var/tadamon.db", description="sqlite:///PATH or postgresql://USER@HOST:PORT/DB"
    )
    database_schema: str = Field("public", description="PostgreSQL schema for all tables")
    statement_timeout_ms: int = Field(30_000, ge=100)
    pool_size: int = Field(5, ge=1)
    secrets_dir: Path = Field(
        Path("./var/secrets"), description="where development secrets are generated"
    )
    hash_secret: SecretStr | None = Field(None, description="HMAC key for household identities")
    hash_secret_file: Path | None = Field(None, description="file holding the HMAC key instead")
    master_key_file: Path | None = Field(
        None, description="file holding the key that wraps every person's data key (64 hex digits)"
    )
    signing_key_file: Path | None = Field(
        None, description="Ed25519 private key (PEM) that signs tree heads (`tadamon keys create`)"
    )
    run_sealer: bool = Field(True, description="extend the Merkle log inside the API process")
    seal_poll_seconds: float = Field(1.0, gt=0)
    tree_head_interval_seconds: float = Field(
        600.0, gt=0, description="how often a new signed tree head is issued when the log grew"
    )
    run_audit_watch: bool = Field(
        True, description="re-hash stored events against their leaves inside the API process"
    )
    audit_watch_events_per_second: float = Field(
        2000.0,
        gt=0,
        description="the watch's pace after its start-up pass: one pass takes events / this",
    )
    tree_heads_file: Path | None = Field(
        None, description="append every signed tree head here (JSON lines) to ship off-site"
    )
    publish_tree_heads: bool = Field(
        False, description="also publish every signed tree head on Kafka"
    )
    tree_heads_topic: str = Field(
        "tadamon.tree-heads",
        pattern=KAFKA_TOPIC_NAME,
        description="the Kafka topic signed tree heads are published on",
    )
    # An event is stamped when its command decides and stored when that
    # command's transaction commits, so the log's order can put an event
    # stamped 10:00:01 before one stamped 10:00:00. A commit follows its stamp
    # within one command attempt, whose statements the store timeouts bound
    # (30 s each by default; a retry re-stamps its events); five minutes covers
    # that with room for clock skew between API hosts. Raise it with the timeouts.
    as_of_margin_seconds: float = Field(
        300.0,
        ge=0,
        description="how far past ?as_of= the log is read for events committed late",
    )
    checkpoint_every_events: int = Field(
        10_000,
        ge=0,
        description="the runner copies what changed in every view this often (events) so "
        "?as_of= folds only the tail from the nearest copy; 0: never",
    )
    completeness_delay_days: int = Field(
        1,
        ge=0,
        le=366,
        description="days after a period's end a report still counts as on time (completeness)",
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    run_projections: bool = Field(True, description="run the projection runner in the API")
    projection_source: Literal["store", "kafka"] = Field(
        "store",
        description="where totals views are fed from: the store in-process, or Kafka "
        "workers (`tadamon project --source kafka`); command-side indexes always use the store",
    )
    projection_batch_size: int = Field(2000, ge=1, le=50_000)
    projection_poll_seconds: float = Field(0.5, gt=0)
    visibility_wait_seconds: float = Field(5.0, ge=0)
    write_retry_seconds: float = Field(
        10.0,
        gt=0,
        le=300,
        description="how long a write that lost a race to other writers is decided again "
        "before the answer is 503 with Retry-After",
    )
    admin_token_file: Path = Path("./var/admin-token")
    log_level: str = "INFO"
    max_body_bytes: int = Field(5_000_000, ge=1024)
    organisation: str = Field(
        "Fondation Mohammed V pour la Solidarité",
        description="the organisation named in partners' exports (HXL #org)",
    )
    ready_max_lag_seconds: float = Field(
        30.0, gt=0, description="/readyz fails when a view's oldest unapplied event is older"
    )
    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092", description="comma-separated host:port list of the Kafka brokers"
    )
    kafka_topic: str = Field(
        "tadamon.events",
        pattern=KAFKA_TOPIC_NAME,
        description="the topic every event is relayed to",
    )
    kafka_partitions: int = Field(
        6, ge=1, le=1000, description="partitions when the relay creates the topic; never change"
    )
    kafka_group: str = Field("tadamon-projections", description="consumer group of the workers")
    kafka_session_timeout_ms: int = Field(10_000, ge=1000)
    relay_batch_size: int = Field(1000, ge=1, le=20_000)
    relay_shards: int = Field(
        1,
        ge=1,
        le=1000,
        description="relay processes sharing the topic's partitions, each its own "
        "TADAMON_RELAY_SHARD (kafka-python holds one core a process); at most the partitions",
    )
    relay_shard: int = Field(
        0, ge=0, description="this relay's shard, 0 to TADAMON_RELAY_SHARDS - 1"
    )
    kafka_compression: Literal["none", "gzip"] = Field(
        "gzip",
        description="compression of the relay's record batches (gzip: fewer bytes on the "
        "network, more CPU in the relay)",
    )
    kafka_client: Literal["kafka-python", "librdkafka"] = Field(
        "kafka-python",
        description="the relay's Kafka client: kafka-python (pure Python) or librdkafka "
        "(confluent-kafka's C client: about twice the relay's measured rate, same guarantees)",
    )
    metrics_port: int = Field(
        0, ge=0, le=65535, description="relay/worker Prometheus port (0: none)"
    )
    kobo_server_url: str = Field(
        "https://kf.kobotoolbox.org", description="KoboToolbox server of `tadamon kobo sync`"
    )
    kobo_api_token_file: Path | None = Field(
        None, description="file holding the form owner's KoboToolbox API token"
    )

    @model_validator(mode="after")
    def _check_database_url(self) -> Settings:
        scheme = urlsplit(self.database_url).scheme
        if scheme not in ("sqlite", "postgresql", "postgres", "postgresql+psycopg"):
            raise ValueError("database_url must start with sqlite:/// or postgresql://")
        return self

    @model_validator(mode="after")
    def _check_relay_shard(self) -> Settings:
        if self.relay_shard >= self.relay_shards:
            raise ValueError(
                f"relay_shard is {self.relay_shard}: it must be 0 to relay_shards - 1 "
                f"({self.relay_shards - 1})"
            )
        if self.relay_shards > self.kafka_partitions:
            raise ValueError(
                f"relay_shards is {self.relay_shards}: at most kafka_partitions "
                f"({self.kafka_partitions}), or a shard would own no partition"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        return Path(unquote(self.database_url.split("sqlite:///", 1)[1]))

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    def identity_secret(self) -> bytes:
        """The HMAC key: from settings or its file, else a generated development key."""
        if self.hash_secret is not None:
            value = self.hash_secret.get_secret_value()
            if self.is_production and DEFAULT_SECRET_MARKER in value:
                raise ValueError("TADAMON_HASH_SECRET still holds a placeholder in production")
            return value.encode()
        if self.hash_secret_file is not None:
            return self._secret_file(self.hash_secret_file, "TADAMON_HASH_SECRET_FILE").encode()
        if self.is_production:
            raise ValueError("TADAMON_HASH_SECRET or TADAMON_HASH_SECRET_FILE must be set")
        return _generated_secret(self.secrets_dir / "hash_secret")

    def master_key(self) -> bytes:
        """The 32-byte key-wrapping key for personal data, from its file (generated in dev)."""
        if self.master_key_file is not None:
            text = self._secret_file(self.master_key_file, "TADAMON_MASTER_KEY_FILE")
        elif self.is_production:
            raise ValueError("TADAMON_MASTER_KEY_FILE must be set in production")
        else:
            text = _generated_secret(self.secrets_dir / "master_key").decode()
        try:
            key = bytes.fromhex(text)
        except ValueError:
            key = b""
        if len(key) != 32:
            raise ValueError("the master key file must hold 64 hex digits (32 bytes)")
        return key

    def signing_key_path(self) -> Path:
        """Where the tree-head signing key is: set by the operator, or a development key."""
        if self.signing_key_file is not None:
            self._check_not_generated(self.signing_key_file, "TADAMON_SIGNING_KEY_FILE")
            if not self.signing_key_file.is_file():
                raise ValueError(f"TADAMON_SIGNING_KEY_FILE: no file at {self.signing_key_file}")
            return self.signing_key_file
        if self.is_production:
            raise ValueError(
                "TADAMON_SIGNING_KEY_FILE must be set in production (`tadamon keys create`)"
            )
        return self.secrets_dir / "tree-head-signing-key.pem"

    def _secret_file(self, path: Path, name: str) -> str:
        self._check_not_generated(path, name)
        try:
            value = path.read_text().strip()
        except OSError as error:
            raise ValueError(f"{name}: cannot read {path} ({error.strerror})") from None
        if self.is_production and (DEFAULT_SECRET_MARKER in value or len(value) < 32):
            raise ValueError(f"{name}: {path} holds a placeholder or too short a secret")
        return value

    def _check_not_generated(self, path: Path, name: str) -> None:
        # Development secrets are generated under secrets_dir; production must
        # bring its own, so a path in there means a generated one slipped through.
        if self.is_production and path.resolve().is_relative_to(self.secrets_dir.resolve()):
            raise ValueError(f"{name} points into the generated-secrets folder {self.secrets_dir}")

    def check_production(self) -> None:
        """Refuse to run in production with missing, placeholder or generated secrets."""
        if self.is_production:
            self.identity_secret()
            self.master_key()
            self.signing_key_path()


def _generated_secret(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()
